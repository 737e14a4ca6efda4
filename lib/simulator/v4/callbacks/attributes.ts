import type { Attribute } from './schemas';
import type { CallbackRecord, MonitorRecord } from './store';

// The attribute sets of a delivery (spec 4.17 Attribute, MonitorAttribute, CallbackAttributes):
// the callback's webhook attributes, then the monitor's own, then the monitor's
// `subscribeParam.callbackAttributes.webhook`, which "add to or replace" the callback's (same type
// and key: the later wins; header keys ignore case). Header attributes become HTTP headers under
// the key as given (the way a subscriber sets `authorization` or `x-…`: the webhook template's
// "adding header entry (authorization) during the subscription"), Query attributes query
// parameters, Body attributes the message's `attributes`. A value `$vin`, `$callbackId`,
// `$callbackLabel`, `$monitorId` or `$monitorLabel` (any case) is replaced by its value for the
// event; any other value is sent as is.

export type ResolvedAttributes = {
  headers: Record<string, string>;
  query: Array<[string, string]>;
  body: Array<{ key: string; value: string }>;
};

export function resolveAttributes(
  callback: CallbackRecord,
  monitor: MonitorRecord,
  vin: string,
): ResolvedAttributes {
  const variables: Record<string, string> = {
    $vin: vin,
    $callbackid: callback.id,
    $callbacklabel: callback.subscribe.label ?? '',
    $monitorid: monitor.id,
    $monitorlabel: monitor.parameter.label,
  };
  const merged = new Map<string, Attribute>();
  const sets: readonly (readonly Attribute[] | undefined)[] = [
    callback.subscribe.callback.webhook?.attributes,
    monitor.parameter.attributes,
    monitor.parameter.subscribeParam?.callbackAttributes?.webhook,
  ];
  for (const set of sets) {
    for (const attribute of set ?? []) {
      const key = attribute.type === 'Header' ? attribute.key.toLowerCase() : attribute.key;
      merged.set(`${attribute.type}|${key}`, attribute);
    }
  }
  const resolved: ResolvedAttributes = { headers: {}, query: [], body: [] };
  for (const attribute of merged.values()) {
    const value = variables[attribute.value.toLowerCase()] ?? attribute.value;
    if (attribute.type === 'Header') resolved.headers[attribute.key.toLowerCase()] = value;
    else if (attribute.type === 'Query') resolved.query.push([attribute.key, value]);
    else resolved.body.push({ key: attribute.key, value });
  }
  return resolved;
}
