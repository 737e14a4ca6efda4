import 'server-only';
import { z } from 'zod';
import {
  PSA_V1_SECOND_41,
  psaV1FlagSchema,
  psaV1NumberSchema,
  psaV1PerSecondSchema,
  psaV1VehicleFields,
} from './common';

// Crash telemetry (vehicle-apis.md §7, row "Telemetry | GET /crash/…"):
// - `GET /crash/get/{vin}` (fetchCrashByVehicle): one object, maps keyed "41" and "60";
// - `GET /crash/search/{vin}?from&to&limit` (searchCrashByVehicle): an array of the same objects;
// - `POST /crash/list` (fetchAllCrash): an array, one item per VIN asked for, whose maps list second "41"
//   ONLY in the spec. Per-second maps are closed over the seconds the operation's own schema lists
//   (./common), so a "60" in a list item is refused as a malformed answer.
// The four `pedestCrashInfo*` fields carry their second in their name and are plain numbers, not maps.
//
// This is the one v1 operation with a response example in the spec: every crash value is 0 or 1, and
// `totMileage` is 0 at second 41 and 12535.3 at second 60. The ranges below follow it.

/** Seconds of the crash maps of `GET /crash/get` and `/crash/search`. */
export const PSA_V1_CRASH_SECONDS: [string, ...string[]] = ['41', '60'];

/**
 * Odometer, km or miles (the spec states no unit and this operation takes no `unit`). Non-negative; 0 is
 * accepted because the spec's example has it at second 41; 2,000,000 caps it like the maintenance
 * `totMileage` [infer].
 */
const mileage = psaV1NumberSchema({ min: 0, max: 2_000_000 });

/**
 * The crash fields, with every map keyed by `seconds`. Each crash value is a flag: 1 = an impact detected
 * at that level on that side [infer: the example is 0/1; the levels high / avg / low / repair match the
 * v4.0 collision levels high / medium / low / fixable, vehicle-apis.md §5.9]. The front "avg" level comes
 * in two variants, N1 and N2 (meaning unstated).
 */
function crashFields(seconds: [string, ...string[]]) {
  const flagMap = psaV1PerSecondSchema(seconds, psaV1FlagSchema).optional();
  return {
    totMileage: psaV1PerSecondSchema(seconds, mileage).optional(),
    /** The car rolled over [infer from the name and v4's `tippedOver`/`rollOver`]. */
    flipVeh: flagMap,
    highRearCrashInfo: flagMap,
    avgRearCrashInfo: flagMap,
    lowRearCrashInfo: flagMap,
    repairRearCrashInfo: flagMap,
    highFrontCrashInfo: flagMap,
    avgFrontCrashInfoN1: flagMap,
    avgFrontCrashInfoN2: flagMap,
    lowFrontCrashInfo: flagMap,
    repairFrontCrashInfo: flagMap,
    highLatCrashInfo: flagMap,
    avgLatCrashInfo: flagMap,
    lowLatCrashInfo: flagMap,
    repairLatCrashInfo: flagMap,
    /** Pedestrian impact indicators, plain numbers; 0 or 1 as in the example [infer: v4 `pedestrian` is a bool]. */
    pedestCrashInfo1_41: psaV1FlagSchema.optional(),
    pedestCrashInfo1_60: psaV1FlagSchema.optional(),
    pedestCrashInfo2_60: psaV1FlagSchema.optional(),
    pedestCrashInfo3_60: psaV1FlagSchema.optional(),
    ...psaV1VehicleFields,
  };
}

/** `GET /crash/get/{vin}`: the last crash record. */
export const psaV1CrashSchema = z.object(crashFields(PSA_V1_CRASH_SECONDS));
export type PsaV1Crash = z.infer<typeof psaV1CrashSchema>;

/** `GET /crash/search/{vin}`: the crash records between `from` and `to`, at most `limit` of them. */
export const psaV1CrashSearchSchema = z.array(psaV1CrashSchema);
export type PsaV1CrashSearch = z.infer<typeof psaV1CrashSearchSchema>;

/** An item of `POST /crash/list`: the same fields, maps keyed "41" only (the spec's list schema). */
export const psaV1CrashListItemSchema = z.object(crashFields(PSA_V1_SECOND_41));
export type PsaV1CrashListItem = z.infer<typeof psaV1CrashListItemSchema>;

/** `POST /crash/list`: one item per VIN asked for. */
export const psaV1CrashListSchema = z.array(psaV1CrashListItemSchema);
export type PsaV1CrashList = z.infer<typeof psaV1CrashListSchema>;
