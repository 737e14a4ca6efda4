// An alert's public id: base64url of the JSON `[vehicleId, provider, providerAlertId]`, the stored
// alert's key. Opaque and URL-safe, but not a secret: every lookup by id is also scoped to the
// signed-in owner (lib/alerts/alerts.ts joins vehicles.user_id), so knowing or forging another
// owner's id finds nothing. Client-safe (pure).

export type AlertKey = { vehicleId: string; provider: string; providerAlertId: string };

const MAX_ID_LENGTH = 1024;

export function encodeAlertId(key: AlertKey): string {
  const json = JSON.stringify([key.vehicleId, key.provider, key.providerAlertId]);
  return bytesToBase64Url(new TextEncoder().encode(json));
}

/** The key an id names, or null for anything that is not one of Kinetic's ids. */
export function decodeAlertId(id: string): AlertKey | null {
  if (id.length === 0 || id.length > MAX_ID_LENGTH || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  try {
    const bytes = base64UrlToBytes(id);
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [vehicleId, provider, providerAlertId] = value;
    const ok = (part: unknown): part is string => typeof part === 'string' && part.length > 0;
    if (!ok(vehicleId) || !ok(provider) || !ok(providerAlertId)) return null;
    // Only the canonical spelling is an id, so one alert never has two.
    const key = { vehicleId, provider, providerAlertId };
    return encodeAlertId(key) === id ? key : null;
  } catch {
    return null;
  }
}

function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlToBytes(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
