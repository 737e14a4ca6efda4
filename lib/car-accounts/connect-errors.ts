// The `?error=` codes the car-account connect callback puts on /settings/cars; any other value
// reads as the maker not answering. Pure (test/page-search-fuzz.test.ts fuzzes it).

export const CONNECT_ERRORS = [
  'expired',
  'mismatch',
  'denied',
  'refused',
  'taken',
  'unavailable',
  'upstream',
  'not_found',
] as const;
export type ConnectError = (typeof CONNECT_ERRORS)[number];

/** The page's error code: none without `?error=` (or with a repeated one), `upstream` for unknown codes. */
export function connectErrorOf(value: unknown): ConnectError | null {
  if (typeof value !== 'string') return null;
  return CONNECT_ERRORS.find((code) => code === value) ?? 'upstream';
}
