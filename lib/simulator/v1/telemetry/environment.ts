import type { SimContext } from '../../context';
import { uploadTemperatures } from '../../v4/status-resources';
import { isDaylight } from '../../v4/telemetry-resources';
import type { SimVehicle } from '../../world/world';
import { carSecond, EVERY_SECOND, lastMinute, secondsMap, v1Instant } from './last-minute';

// GET /environment/get/{vin} (spec fetchEnvironmentDataByVehicle, vehicle-apis.md §7) over the
// last sampled minute: `exteriorTemp` at second 41 (the spec's only key; °C [infer], no `unit` is
// taken) is the outside air v4's status gives for the same report — the trip's weather while
// driving and at key-off, the night's air at a charging wake-up; `infoDayAndNight` [infer] is 1
// by day and 0 by night each second, from v4's `isDaylight` at the car's home, as v4's telemetry
// writes `environment.luminosity.day`. The light sensor reads the sky whether the car drives or not.

const TEMP_SECONDS: readonly number[] = [41];

export function environmentData(
  ctx: SimContext,
  vehicle: SimVehicle,
  nowMs: number,
  listSecond: ReadonlySet<number> | null,
) {
  const minute = lastMinute(ctx, vehicle, nowMs);
  const { home } = ctx.fleet.timelineOf(vehicle);
  const { airC } = uploadTemperatures(ctx, vehicle, minute.upload);
  return {
    exteriorTemp: secondsMap(TEMP_SECONDS, listSecond, () => airC),
    infoDayAndNight: secondsMap(EVERY_SECOND, listSecond, (second) =>
      isDaylight(carSecond(minute, second).atMs, home.lat, home.lon) ? 1 : 0,
    ),
    vin: vehicle.vin,
    lastUpdate: v1Instant(minute.reportMs),
    contract: vehicle.contract,
  };
}
