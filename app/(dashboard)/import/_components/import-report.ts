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

/** The `{ error: { message } }` of a failed request, or a plain fallback. */
export function errorMessageOf(status: number, body: unknown): string {
  if (isRecord(body) && isRecord(body.error) && typeof body.error.message === 'string')
    return body.error.message;
  if (status === 413) return 'The file is too large.';
  return `The import failed (HTTP ${status}).`;
}
