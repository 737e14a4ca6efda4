import 'server-only';

// A charge's id in URLs: (provider, started_at) — the session's key within its vehicle — as
// base64url, so it is opaque, URL-safe and needs no table of its own.

export type ChargeKey = { provider: string; startedAt: number };

export function encodeChargeId(key: ChargeKey): string {
  return Buffer.from(`${key.provider}|${key.startedAt}`).toString('base64url');
}

/** The key, or null when the text is not an id this module made. */
export function decodeChargeId(id: string): ChargeKey | null {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const match = /^([a-z0-9][a-z0-9-]{0,63})\|(\d{1,16})$/.exec(text);
  if (!match) return null;
  const startedAt = Number(match[2]);
  return Number.isSafeInteger(startedAt) ? { provider: match[1] as string, startedAt } : null;
}
