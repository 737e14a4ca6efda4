import 'server-only';
import { z } from 'zod';
import {
  PSA_V1_EVERY_SECOND,
  psaV1FlagSchema,
  psaV1NumberSchema,
  psaV1PerSecondSchema,
  psaV1StateCodeSchema,
  psaV1VehicleFields,
} from './common';

// Safety telemetry (vehicle-apis.md §7, row "Telemetry | GET /safety/…"):
// - `GET /safety/drivingassistance/{vin}` (fetchLastDrivingAssistanceByVehicle) and
//   `GET /safety/search/drivingassistance/day/{vin}?day=` (searchDrivingAssistancePerDayByVehicle);
// - `GET /safety/safetyassistance/{vin}` (fetchLastSafetyAssistanceByVehicle) and
//   `GET /safety/search/safetyassistance/day/{vin}?day=` (searchSafetyAssistancePerDayByVehicle).
// Each pair shares one 200 schema in the spec, and both members of a pair answer a single object: the
// per-day searches are NOT arrays in the spec, unlike `/crash/search`. No POST `…/list` twin exists.
// Every map lists the seconds "1".."60" (checked against the Swagger file), filtered by `listsecond`.
//
// The spec gives no codes or units for any of these signals. The ranges below follow the names and their
// v4 successors (vehicle-apis.md §5.5 `adas`/`safety`), where each is an enum of 2–7 states or a bool.

/** A per-second status code of a driver-assistance system, every second of the minute. */
const everySecondCode = psaV1PerSecondSchema(PSA_V1_EVERY_SECOND, psaV1StateCodeSchema).optional();
/** A per-second on/off signal, every second of the minute. */
const everySecondFlag = psaV1PerSecondSchema(PSA_V1_EVERY_SECOND, psaV1FlagSchema).optional();

/**
 * Speed limit shown by the speed-limit information panel. v4's `sli` is an int in km/h (vehicle-apis.md
 * §5.5) and this operation takes no `unit` parameter, so km/h is the likely unit; mph is accepted too, as
 * the spec states none [infer]. A posted limit is a whole number, so fractions are refused; 0 means "no
 * sign read" [infer]; 250 is above any posted limit in either unit [infer].
 */
const speedLimit = psaV1NumberSchema({ min: 0, max: 250, int: true });

/** `GET /safety/drivingassistance/{vin}`: the last sampled minute of the driving aids. */
export const psaV1DrivingAssistanceSchema = z.object({
  /**
   * Automatic emergency call state: a plain `number`, not a map. A code [infer: v4's
   * `autoECallTriggering` is the enum NotDetected / Detected / ShockDetectionUnabled].
   */
  autoECall: psaV1StateCodeSchema.optional(),
  /** Lane-departure warning ("AFIL") state [infer: v4 `afil` has four states, Off … FlashingFault]. */
  afil: everySecondCode,
  /**
   * Following-distance aid ("respect du temps inter-véhicules") state [infer: v4 `artiv` is the enum
   * NotSelected / Selected / Unavailable, not a time gap].
   */
  respectTimeIntVeh: everySecondCode,
  /** Blind-spot monitoring state [infer: v4 `bsm` is Active / Inactive / Disabled / Fault]. */
  survBlindSpot: everySecondCode,
  speedInfoPanel: psaV1PerSecondSchema(PSA_V1_EVERY_SECOND, speedLimit).optional(),
  /**
   * Park-assist states [infer: v4 `parkAssist` front/rear are enums (Active, Wait, Fault…), not distances].
   */
  rearSoundParkAssist: everySecondCode,
  frontSoundParkAssist: everySecondCode,
  /** Lane-keeping assist states [infer: v4 `llka`/`rlka` are Authorized … CorrectionInProgress]. */
  laneKeepAssistLeft: everySecondCode,
  laneKeepAssistRight: everySecondCode,
  ...psaV1VehicleFields,
});
export type PsaV1DrivingAssistance = z.infer<typeof psaV1DrivingAssistanceSchema>;

/**
 * `GET /safety/search/drivingassistance/day/{vin}?day=`: the same single object as the last-minute
 * operation (the spec's 200 schema is an object, not an array).
 */
export const psaV1DrivingAssistanceDaySchema = psaV1DrivingAssistanceSchema;

/** `GET /safety/safetyassistance/{vin}`: the last sampled minute of the active-safety systems. */
export const psaV1SafetyAssistanceSchema = z.object({
  /** Seat-belt information [infer: v4 `beltStatus` is Normal / Omission per seat, so a code, not a flag]. */
  infoBeltSecurity: everySecondCode,
  /**
   * Automatic emergency braking state; the spec spells it with a capital A [infer: v4 `aebs` is
   * off / Fixed / OnFlashing].
   */
  AdEmergencyBrakeSystem: everySecondCode,
  /** ABS regulating, 0 or 1 [infer: v4 `abs` is a bool]. */
  abs: everySecondFlag,
  /** ESP regulating, 0 or 1 [infer: v4 `esp` is a bool]. */
  esp: everySecondFlag,
  ...psaV1VehicleFields,
});
export type PsaV1SafetyAssistance = z.infer<typeof psaV1SafetyAssistanceSchema>;

/** `GET /safety/search/safetyassistance/day/{vin}?day=`: the same single object (not an array). */
export const psaV1SafetyAssistanceDaySchema = psaV1SafetyAssistanceSchema;
