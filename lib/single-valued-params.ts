// Pure, so both the app's route handlers and the simulator's server can use it.

export type SingleValuedParams = { params: Record<string, string>; repeated: null } | { repeated: string };

/**
 * Query parameters as a plain object, or the first key given more than once (`?a=1&a=2` is
 * ambiguous, and each caller refuses it in its own error format).
 */
export function singleValuedParams(searchParams: URLSearchParams): SingleValuedParams {
  const params: Record<string, string> = {};
  for (const [key, value] of searchParams) {
    if (Object.hasOwn(params, key)) return { repeated: key };
    // Defined, not assigned: `params.__proto__ = value` would be dropped silently (and so never
    // counted as repeated) instead of becoming a key like any other.
    Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return { params, repeated: null };
}
