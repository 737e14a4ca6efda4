import 'server-only';
import { psaV1CompactDateTimeParts } from './schema/common';

// v1 dates, read and written. The spec types them as bare strings; its one example is the compact
// `yyyyMMddHHmmss` (crash `lastUpdate: "20160803083640"`), and Kinetic's schema also accepts RFC 3339
// (schema/common.ts). The compact form carries no zone: it is read as UTC [infer], as every v1 date
// parameter (`from`, `fromday`…) is a UTC day in the simulator's reading (docs/simulator.md, "v1")
// and a fleet API spanning countries has no single local zone to mean.

/** Epoch ms of a v1 date-time (already checked by the schema), or null when it cannot be read. */
export function parsePsaV1Instant(text: string): number | null {
  const compact = psaV1CompactDateTimeParts(text);
  if (compact) {
    const [year, month, day, hour, minute, second] = compact;
    return Date.UTC(year, month - 1, day, hour, minute, second);
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** The UTC day of an instant as v1's `from`/`to`/`day` parameters write it: `yyyyMMdd`. */
export const psaV1Day = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');

/** The UTC month of an instant as `frommonth`/`tomonth` write it: `yyyyMM`. */
export const psaV1Month = (ms: number): string => psaV1Day(ms).slice(0, 6);
