import { ALERT_SEVERITIES, ALERT_STATES, type AlertState } from '@/lib/schemas/alerts';

// The /alerts page's filters live in its URL (server-rendered and shareable). Unknown or malformed
// values are ignored rather than refused: a stale bookmark still opens the page.

export type AlertPageParams = {
  state: AlertState;
  severity?: (typeof ALERT_SEVERITIES)[number];
  vehicleId?: string;
  cursor?: string;
};

const single = (value: string | string[] | undefined) =>
  typeof value === 'string' && value !== '' ? value : undefined;

const oneOf = <T extends string>(allowed: readonly T[], value: string | undefined): T | undefined =>
  value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;

export function parseAlertPageParams(search: Record<string, string | string[] | undefined>): AlertPageParams {
  const vehicleId = single(search.vehicleId);
  const cursor = single(search.cursor);
  return {
    state: oneOf(ALERT_STATES, single(search.state)) ?? 'active',
    severity: oneOf(ALERT_SEVERITIES, single(search.severity)),
    vehicleId: vehicleId !== undefined && vehicleId.length <= 64 ? vehicleId : undefined,
    cursor:
      cursor !== undefined && cursor.length <= 512 && /^[A-Za-z0-9_-]+$/.test(cursor) ? cursor : undefined,
  };
}

export function alertPageHref(params: Partial<AlertPageParams>): string {
  const search = new URLSearchParams();
  for (const name of ['state', 'severity', 'vehicleId', 'cursor'] as const) {
    const value = params[name];
    if (value !== undefined) search.set(name, value);
  }
  const query = search.toString();
  return query ? `/alerts?${query}` : '/alerts';
}
