import type { SimContext } from '../../context';
import { ENGINE_IDLE, ENGINE_OFF } from '../../physics/powertrain';
import { hasEngine } from '../../physics/vehicle-models';
import { uploadPrivacy, uploadTemperatures } from '../../v4/status-resources';
import { round1 } from '../../v4/trip-resources';
import type { SimVehicle } from '../../world/world';
import {
  type CarSecond,
  carSecond,
  EVERY_SECOND,
  EVERY_TEN_SECONDS,
  instantConsumptionAt,
  type LastMinute,
  lastMinute,
  secondsMap,
  tracedAt,
} from './last-minute';

// GET /running/data/{vin} (spec fetchAllRunningDataByVehicle, vehicle-apis.md §7): the last
// sampled minute of the powertrain. Every number is the trace's own at that second, as v4 reports
// it: `accelerationVeh` is v4's `kinetic.acceleration` (m/s², two decimals), `engineSpeed` its
// `engines[0].speed` (rpm), `instFuelConsumption` its instantaneous L/100 km (`energy-readings`),
// `fuelLevel` and `tempOilEng` its status `energies` level (%) and engine oil temperature (°C) at
// the report. The spec states no units and this operation takes no `unit`: always metric.
//
// Electric cars [infer]: `engineSpeed` is the traction motor's speed (what v4 reports as their
// `Electric` engine); they have no tank, no oil and burn nothing, so `fuelLevel`, `tempOilEng`
// and `instFuelConsumption` are left out rather than written as 0 (a 0 % tank would read as
// empty), as v1's maintenance leaves out its fuel block.
// Privacy `Full` hides the driving data: `accelerationVeh` is left out, as v4 leaves out `kinetic`.

// `modeBV` [infer] (BV = boîte de vitesses): the gear engaged at that second — 0 none (neutral,
// clutch open, or parked), 1–8 the gearbox gear, v4's `RatioN`; an electric car's single reduction
// is 1 while it is driven. The trace's `gear` is exactly that.

/**
 * `gmpState` [infer] (GMP = groupe motopropulseur, the powertrain) at the report, from the
 * trace's engine state: the powertrain off (parked, key off), on with the engine stopped
 * (stop & start, or a hybrid driving on electricity), on and idling (not driving the wheels), or
 * driving the wheels (clutch slipping or locked; an electric motor always is).
 */
export const GMP_STATE = { off: 0, engineStopped: 1, idling: 2, driving: 3 } as const;

const round2 = (value: number) => Math.round(value * 100) / 100;
/** v1 writes these readings as strings: one decimal, as v4 rounds them. */
const decimalString = (value: number) => round1(value).toFixed(1);

function gmpStateAt(minute: LastMinute, at: CarSecond): number {
  if (at.index === null) return GMP_STATE.off;
  const mode = minute.trace.engineMode[at.index] ?? ENGINE_OFF;
  if (mode === ENGINE_OFF) return GMP_STATE.engineStopped;
  return mode === ENGINE_IDLE ? GMP_STATE.idling : GMP_STATE.driving;
}

export function runningData(
  ctx: SimContext,
  vehicle: SimVehicle,
  nowMs: number,
  listSecond: ReadonlySet<number> | null,
) {
  const minute = lastMinute(ctx, vehicle, nowMs);
  const { trace, upload } = minute;
  const model = ctx.fleet.timelineOf(vehicle).model;
  const at = (second: number) => carSecond(minute, second);
  const traced = (values: ArrayLike<number>, second: number) => tracedAt(minute, values, second);
  const hidden = uploadPrivacy(ctx.world.seed, vehicle, upload) === 'Full';
  const fuelPct = hasEngine(model) ? upload.state.fuelLevelPct : null;
  const oilC = fuelPct !== null ? uploadTemperatures(ctx, vehicle, upload).oilC : null;

  return {
    ...(hidden
      ? {}
      : {
          accelerationVeh: secondsMap(EVERY_SECOND, listSecond, (second) =>
            round2(traced(trace.accelerationMs2, second)),
          ),
        }),
    modeBV: secondsMap(EVERY_TEN_SECONDS, listSecond, (second) => traced(trace.gear, second)),
    engineSpeed: secondsMap(EVERY_TEN_SECONDS, listSecond, (second) =>
      Math.round(traced(trace.engineRpm, second)),
    ),
    ...(fuelPct !== null ? { fuelLevel: decimalString(fuelPct) } : {}),
    ...(oilC !== null ? { tempOilEng: decimalString(oilC) } : {}),
    ...(fuelPct !== null
      ? {
          instFuelConsumption: secondsMap(EVERY_TEN_SECONDS, listSecond, (second) =>
            decimalString(instantConsumptionAt(minute, second)),
          ),
        }
      : {}),
    gmpState: gmpStateAt(minute, at(60)),
    vin: vehicle.vin,
    contract: vehicle.contract,
  };
}
