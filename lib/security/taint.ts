import 'server-only';
import * as React from 'react';

// React's taint API (docs/security-tests.md AC-16): a value registered here makes React's server
// renderer refuse to serialize it into a Client Component's props or an Action's result — the
// render fails with our message instead of sending the value to the browser. It backs up the
// DTO rule (docs/style.md "Server/client boundary"): a mistake that passes a row or a token on is
// caught where it happens, not by a grep of the pages afterwards.
//
// The API exists only in React's experimental channel. Next.js runs the app on it because
// next.config.ts sets `experimental.taint`. The worker, the CLI and the unit tests run in plain
// Node on the installed stable `react`, which has no taint API: there every function here does
// nothing (the renderer that would check does not run there either). Hence the namespace import
// and the typeof checks — a named import of an export the stable build lacks would fail there.

type TaintApi = {
  experimental_taintUniqueValue(message: string, lifetime: object, value: string): void;
  experimental_taintObjectReference(message: string, object: object): void;
};

const api = React as unknown as Partial<TaintApi>;
const taintUniqueValue =
  typeof api.experimental_taintUniqueValue === 'function' ? api.experimental_taintUniqueValue : null;
const taintObjectReference =
  typeof api.experimental_taintObjectReference === 'function' ? api.experimental_taintObjectReference : null;

/** Whether this process's React can taint (the Next.js app: yes; worker, CLI, unit tests: no). */
export const taintAvailable = taintUniqueValue !== null;

/**
 * Shorter values are left alone: React taints a value wherever it appears, so tainting a short,
 * common string (a test's "AT") would break every page that shows the same text, and no secret
 * of ours is that short (tokens, argon2 hashes and base64 keys are all far longer).
 */
const MIN_TAINTED_LENGTH = 16;

/**
 * What each lifetime object already tainted. React counts every call and registers the lifetime
 * with a FinalizationRegistry each time, so tainting the same long-lived value on every request
 * (the auth secret is read on each one) would grow React's registry without end.
 */
const taintedBy = new WeakMap<object, Set<string>>();

/**
 * Taints `value` for as long as `lifetime` lives: pass the object that holds the value (the row,
 * the token set, the configuration), so the taint ends when nothing can reach the value through
 * it any more. `message` names what the value is and never contains it.
 */
export function taintValue(message: string, lifetime: object, value: string | null | undefined): void {
  if (taintUniqueValue === null || typeof value !== 'string' || value.length < MIN_TAINTED_LENGTH) return;
  let values = taintedBy.get(lifetime);
  if (values === undefined) {
    values = new Set();
    taintedBy.set(lifetime, values);
  }
  if (values.has(value)) return;
  values.add(value);
  taintUniqueValue(message, lifetime, value);
}

/** Taints the object itself: passing it (not a copy of its fields) to the client fails. */
export function taintObject(message: string, object: object): void {
  taintObjectReference?.(message, object);
}

export const TAINT_MESSAGES = {
  accountTokens: "A car account's upstream OAuth tokens must not be passed to the client.",
  accessToken: "A car account's upstream access token must not be passed to the client.",
  refreshToken: "A car account's upstream refresh token must not be passed to the client.",
  idToken: "A car maker's ID token must not be passed to the client.",
  sealedTokens: "A car account's sealed token blob must not be passed to the client.",
  passwordHash: "A user's password hash must not be passed to the client.",
  secret: 'A server secret (AUTH_SECRET or TOKEN_ENCRYPTION_KEY) must not be passed to the client.',
} as const;

/** Taints a car account's upstream tokens and the object holding them; answers the same object. */
export function taintAccountTokens<T extends { accessToken: string; refreshToken?: string }>(tokens: T): T {
  taintObject(TAINT_MESSAGES.accountTokens, tokens);
  taintValue(TAINT_MESSAGES.accessToken, tokens, tokens.accessToken);
  taintValue(TAINT_MESSAGES.refreshToken, tokens, tokens.refreshToken);
  return tokens;
}
