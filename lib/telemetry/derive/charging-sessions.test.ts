import { describe, expect, it } from 'vitest';
import { type ChargingStateName, chargingSessionSchema, type Sample } from '../model';
import { chargingSessions } from './charging-sessions';
import { readings, T0 } from './samples-for-tests';

/** One reading a minute from `fromMin` to `toMin`, the level rising 1 % a minute from `level`. */
const charge = (fromMin: number, toMin: number, level: number, state: ChargingStateName = 'charging') =>
  readings(fromMin * 60, toMin * 60, 60, (t) => ({
    charging: state,
    batteryLevelPct: level + (t / 60 - fromMin),
  }));

const minutes = (m: number) => T0 + m * 60_000;

describe('chargingSessions', () => {
  it('20 % → 80 % in an hour on a 50 kWh battery: 30 kWh at 30 kW', () => {
    const samples = [
      ...charge(0, 60, 20),
      ...readings(61 * 60, 70 * 60, 60, () => ({ charging: 'finished', batteryLevelPct: 80 })),
    ];
    const sessions = chargingSessions(samples, { usableBatteryKwh: 50 });
    expect(sessions).toHaveLength(1);
    const [session] = sessions;
    expect(session?.startedAt).toBe(minutes(0));
    expect(session?.endedAt).toBe(minutes(60));
    expect(session?.startLevelPct).toBe(20);
    expect(session?.endLevelPct).toBe(80);
    expect(session?.energyAddedKwh).toBeCloseTo(30, 9);
    expect(session?.avgPowerKw).toBeCloseTo(30, 9);
    expect(session?.source).toEqual({ provider: 'obd-import', ref: 'derived: charging sessions' });
    expect(chargingSessionSchema.safeParse(session).success).toBe(true);
  });

  it('merges a pause of up to 15 minutes while plugged in, not a longer one', () => {
    const paused = (pauseMin: number) => [
      ...charge(0, 30, 20),
      ...readings(31 * 60, (30 + pauseMin - 1) * 60, 60, () => ({
        charging: 'plugged' as const,
        batteryLevelPct: 50,
      })),
      ...charge(30 + pauseMin, 60 + pauseMin, 50),
    ];
    // Charging readings at 30 and 40 min: 10 minutes apart.
    const short = chargingSessions(paused(10), { usableBatteryKwh: 50 });
    expect(short).toHaveLength(1);
    expect(short[0]?.endedAt).toBe(minutes(70));
    expect(short[0]?.energyAddedKwh).toBeCloseTo(30, 9); // 20 % → 80 %
    expect(short[0]?.avgPowerKw).toBeCloseTo(30 / (70 / 60), 9);
    // 20 minutes apart: two sessions.
    const long = chargingSessions(paused(20), { usableBatteryKwh: 50 });
    expect(long.map((s) => [s.startedAt, s.endedAt])).toEqual([
      [minutes(0), minutes(30)],
      [minutes(50), minutes(80)],
    ]);
  });

  it('does not merge across an unplugging, however brief', () => {
    const samples = [
      ...charge(0, 30, 20),
      ...readings(31 * 60, 31 * 60, 60, () => ({ charging: 'disconnected' as const })),
      ...charge(32, 40, 50),
    ];
    expect(chargingSessions(samples)).toHaveLength(2);
  });

  it('leaves energy and power unknown without a capacity, or when the level falls', () => {
    const [unknown] = chargingSessions(charge(0, 60, 20));
    expect(unknown?.energyAddedKwh).toBeUndefined();
    expect(unknown?.avgPowerKw).toBeUndefined();
    expect(unknown?.endLevelPct).toBe(80);
    const falling = readings(0, 600, 60, (t) => ({
      charging: 'charging' as const,
      batteryLevelPct: 50 - t / 60,
    }));
    expect(chargingSessions(falling, { usableBatteryKwh: 50 })[0]?.energyAddedKwh).toBeUndefined();
  });

  it('leaves a session still charging at `now` open', () => {
    const [open] = chargingSessions(charge(0, 30, 20), { now: minutes(35), usableBatteryKwh: 50 });
    expect(open?.endedAt).toBeUndefined();
    expect(open?.startLevelPct).toBe(20);
    expect(chargingSessionSchema.safeParse(open).success).toBe(true);
    const [done] = chargingSessions(charge(0, 30, 20), { now: minutes(50), usableBatteryKwh: 50 });
    expect(done?.endedAt).toBe(minutes(30));
  });

  it('finds nothing in a drive, and does not depend on order or repeated rows', () => {
    const drive: Sample[] = readings(0, 600, 1, () => ({ speedKmh: 50, charging: 'disconnected' }));
    expect(chargingSessions(drive)).toEqual([]);
    const samples = [...charge(0, 30, 20), ...charge(50, 80, 50)];
    const messy = [...samples, ...samples.slice(5, 20)].reverse();
    expect(chargingSessions(messy, { usableBatteryKwh: 40 })).toEqual(
      chargingSessions(samples, { usableBatteryKwh: 40 }),
    );
  });
});
