import type { SimContext } from '../../context';
import { brakeLightOn, fogLampsOf, turnSignalAt } from '../../fleet/lights';
import type { SimVehicle } from '../../world/world';
import { carSecond, EVERY_SECOND, lastMinute, secondsMap, v1Instant } from './last-minute';

// GET /running/data/lightstatus/{vin} (spec fetchLightStatusByVehicle, vehicle-apis.md §7): the
// lamps over the last sampled minute, 1 lit and 0 off [infer]: fog lamps at seconds 30, 41 and 60
// (the spec's keys), turn signals and stop lamps every second. A parked second has every lamp off.
// A turn signal reads 1 for every second it is switched on (the lamp itself flashes at 1.5 Hz).
// The rules (braking threshold, turns, fog) are in ./lights.

const FOG_SECONDS: readonly number[] = [30, 41, 60];

export function lightStatus(
  ctx: SimContext,
  vehicle: SimVehicle,
  nowMs: number,
  listSecond: ReadonlySet<number> | null,
) {
  const minute = lastMinute(ctx, vehicle, nowMs);
  const { trip, trace } = minute;
  const timeline = ctx.fleet.timelineOf(vehicle);
  const fog = fogLampsOf(ctx.world.seed, timeline, trip, trace);
  const index = (second: number) => carSecond(minute, second).index;
  const lit = (on: boolean) => (on ? 1 : 0);
  const whileDriving = (test: (i: number) => boolean) => (second: number) => {
    const i = index(second);
    return lit(i !== null && test(i));
  };
  const signals = new Map<number, ReturnType<typeof turnSignalAt>>();
  const signalAt = (i: number) => {
    if (!signals.has(i)) signals.set(i, turnSignalAt(timeline, trip, trace, i));
    return signals.get(i) ?? null;
  };

  return {
    fogFront: secondsMap(
      FOG_SECONDS,
      listSecond,
      whileDriving(() => fog.front),
    ),
    fogRear: secondsMap(
      FOG_SECONDS,
      listSecond,
      whileDriving(() => fog.rear),
    ),
    turnRight: secondsMap(
      EVERY_SECOND,
      listSecond,
      whileDriving((i) => signalAt(i) === 'right'),
    ),
    turnLeft: secondsMap(
      EVERY_SECOND,
      listSecond,
      whileDriving((i) => signalAt(i) === 'left'),
    ),
    brakeLight: secondsMap(
      EVERY_SECOND,
      listSecond,
      whileDriving((i) => brakeLightOn(trace, i)),
    ),
    vin: vehicle.vin,
    lastUpdate: v1Instant(minute.reportMs),
    contract: vehicle.contract,
  };
}
