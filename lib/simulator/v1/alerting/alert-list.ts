import type { SimContext } from '../../context';
import { alertsBetween, type SimAlert } from '../../fleet/alerts';
import { rfc3339 } from '../../v4/hal';
import type { SimVehicle } from '../../world/world';
import { ALERT_GROUPS, ALERT_TEXTS, textIn } from './alert-texts';

// The `listAlert` items of GET /maintenance/alert/{vin} and its POST twin (spec
// fetchMaintenanceAlertByVehicle / fetchAllMaintenanceAlert, vehicle-apis.md §7). They are the
// alerts v4 `GET …/alerts` lists for the same car at the same instant (fleet/alerts.ts over the
// served history window, newest first), written the v1 way:
// - `active=1` the alerts still on at now, `active=0` the ones that ended within the served history
//   (the spec: "Used to seek an active alarm. 0 = inactive, 1 = active"); both together are v4's list;
// - `idAlert` is v4's alert id (64 hex characters), so a client holding both APIs can match them;
// - dates are UTC `yyyy-MM-ddTHH:mm:ssZ` strings, v4's and GET /maintenance/{vin} `lastUpdate`'s
//   format; `dateUpdate` is the last change (the end, or the start while on), as v4's `updatedAt`;
// - [infer] `dateAlertEnd` is "" while the alert is on: the spec types it as a string and gives no
//   null, so every item keeps the same keys and types;
// - [infer] `alertState` 1 = on, 0 = ended (the spec types it as a number without codes);
// - `alert`, `advise` and `category` are the type's title, advice and group in the caller's locale,
//   the same words as `indicatorLabel` and `rgrpLabel` in GET /referential/alert. Positions, which
//   v4 gives, have no field in v1.

export type V1AlertItem = {
  idAlert: string;
  dateUpdate: string;
  dateAlertBegin: string;
  dateAlertEnd: string;
  alertState: number;
  alert: string;
  advise: string;
  category: string;
};

export const ALERT_STATE_ON = 1;
export const ALERT_STATE_ENDED = 0;

/** Which alerts a call asks for, and in which language. */
export type AlertQuery = { locale: string; active: boolean };

/** The car's alerts v4 lists at `nowMs` (served history window), newest first. */
export function servedAlerts(ctx: SimContext, vehicle: SimVehicle, nowMs: number): SimAlert[] {
  const historyStartMs = ctx.fleet.historyStartMs(vehicle, nowMs);
  // Enrolled after now: the cloud has nothing for it yet (v4's event window is empty).
  if (historyStartMs > nowMs) return [];
  return alertsBetween(ctx, vehicle, historyStartMs, nowMs + 1, nowMs).reverse();
}

export function v1AlertItem(alert: SimAlert, locale: string): V1AlertItem {
  const texts = ALERT_TEXTS[alert.type];
  return {
    idAlert: alert.id,
    dateUpdate: rfc3339(alert.endAtMs ?? alert.startedAtMs),
    dateAlertBegin: rfc3339(alert.startedAtMs),
    dateAlertEnd: alert.endAtMs === null ? '' : rfc3339(alert.endAtMs),
    alertState: alert.active ? ALERT_STATE_ON : ALERT_STATE_ENDED,
    alert: textIn(texts.title, locale),
    advise: textIn(texts.advice, locale),
    category: textIn(ALERT_GROUPS[texts.group], locale),
  };
}

/** The `listAlert` of one car: its active or its ended alerts, newest first. */
export function alertItems(
  ctx: SimContext,
  vehicle: SimVehicle,
  query: AlertQuery,
  nowMs: number,
): V1AlertItem[] {
  return servedAlerts(ctx, vehicle, nowMs)
    .filter((alert) => alert.active === query.active)
    .map((alert) => v1AlertItem(alert, query.locale));
}
