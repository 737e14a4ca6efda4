// The answer of POST /api/imports (interfaces.md › import JSON), checked before it is shown: the
// form only trusts the shape it was promised.

export type ImportReport = {
  rowsRead: number;
  rowsImported: number;
  rowsDuplicate: number;
  rowsRejected: number;
  rejections: { row: number; reason: string }[];
  vehicleId: string;
  tripIds: string[];
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const COUNTS = ['rowsRead', 'rowsImported', 'rowsDuplicate', 'rowsRejected'] as const;

export function asImportReport(value: unknown): ImportReport | null {
  if (!isRecord(value)) return null;
  if (!COUNTS.every((key) => Number.isInteger(value[key]))) return null;
  if (typeof value.vehicleId !== 'string') return null;
  const { rejections, tripIds } = value;
  if (!Array.isArray(tripIds) || !tripIds.every((id) => typeof id === 'string')) return null;
  if (
    !Array.isArray(rejections) ||
    !rejections.every(
      (item) => isRecord(item) && Number.isInteger(item.row) && typeof item.reason === 'string',
    )
  )
    return null;
  return value as ImportReport;
}

/** The fallbacks of errorMessageOf, in the owner's language (the `imports.errors` messages). */
export type ErrorFallbacks = { tooLarge: string; failed: (status: number) => string };

/**
 * The `{ error: { message } }` of a failed request (the API's words, English), or a plain fallback
 * in the owner's language.
 */
export function errorMessageOf(status: number, body: unknown, fallbacks: ErrorFallbacks): string {
  if (isRecord(body) && isRecord(body.error) && typeof body.error.message === 'string')
    return body.error.message;
  if (status === 413) return fallbacks.tooLarge;
  return fallbacks.failed(status);
}
