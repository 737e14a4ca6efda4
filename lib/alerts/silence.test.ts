import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { newOwner, newVehicle, storeSamples } from './alerts-for-tests';
import { CADENCE_FLOOR_MS, expectedCadenceMs, silenceOf, vehicleSilence } from './silence';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const D0 = Date.UTC(2026, 2, 1);

describe('expected cadence', () => {
  it('is the median gap between days of use', () => {
    // Gaps 1, 2, 4 days → median 2 days.
    expect(expectedCadenceMs([D0, D0 + DAY, D0 + 3 * DAY, D0 + 7 * DAY])).toBe(2 * DAY);
    // Gaps 1 and 2 days → median of an even count: 1.5 days.
    expect(expectedCadenceMs([D0, D0 + DAY, D0 + 3 * DAY])).toBe(1.5 * DAY);
    // A weekly car: 7 days, whatever the order the days come in.
    expect(expectedCadenceMs([D0 + 14 * DAY, D0, D0 + 7 * DAY])).toBe(7 * DAY);
  });

  it('never falls below 24 hours, and is the floor without history', () => {
    expect(expectedCadenceMs([])).toBe(CADENCE_FLOOR_MS);
    expect(expectedCadenceMs([D0])).toBe(DAY);
    expect(expectedCadenceMs([D0, D0, D0 + 1000])).toBe(DAY);
  });

  it('calls a car silent only past three times its cadence, and never a car that never reported', () => {
    const daily = [D0, D0 + DAY, D0 + 2 * DAY];
    expect(silenceOf(D0 + 2 * DAY, daily, D0 + 5 * DAY).silent).toBe(false); // exactly 3 days
    expect(silenceOf(D0 + 2 * DAY, daily, D0 + 5 * DAY + 1).silent).toBe(true);
    const weekly = [D0, D0 + 7 * DAY, D0 + 14 * DAY];
    expect(silenceOf(D0 + 14 * DAY, weekly, D0 + 30 * DAY)).toEqual({
      silent: false,
      lastMeasuredAt: D0 + 14 * DAY,
      expectedCadenceMs: 7 * DAY,
    });
    expect(silenceOf(D0 + 14 * DAY, weekly, D0 + 36 * DAY).silent).toBe(true);
    expect(silenceOf(null, [], D0)).toEqual({ silent: false, lastMeasuredAt: null, expectedCadenceMs: DAY });
  });
});

for (const engine of ENGINES) {
  describe(`vehicleSilence (${engine})`, () => {
    const database = useTestDatabase(engine);

    it("reads the last measurement and the days of use from the car's own data", async () => {
      const { db } = database();
      const owner = await newOwner(db, 'silence');
      // Every other day at noon for three weeks, the last one 5 days before `now`.
      const now = D0 + 30 * DAY;
      const last = D0 + 25 * DAY + 12 * HOUR;
      const every2 = await newVehicle(db, owner, 'Every other day');
      await storeSamples(
        db,
        every2,
        Array.from({ length: 10 }, (_, i) => ({ at: last - 2 * i * DAY, speedKmh: 40 })),
      );
      // Cadence 2 days: silent after 6 days, not after 5.
      expect(await vehicleSilence(db, every2, now)).toEqual({
        silent: false,
        lastMeasuredAt: last,
        expectedCadenceMs: 2 * DAY,
      });
      expect((await vehicleSilence(db, every2, last + 6 * DAY + 1)).silent).toBe(true);

      const never = await newVehicle(db, owner, 'Never');
      expect(await vehicleSilence(db, never, now)).toEqual({
        silent: false,
        lastMeasuredAt: null,
        expectedCadenceMs: DAY,
      });
    });

    it('ignores days of use older than 30 days when judging the cadence', async () => {
      const { db } = database();
      const owner = await newOwner(db, 'silence-old');
      const car = await newVehicle(db, owner, 'Old habits');
      const now = D0 + 100 * DAY;
      // Weekly long ago, then nothing for 40 days: no days in the window, so the floor applies.
      await storeSamples(
        db,
        car,
        Array.from({ length: 6 }, (_, i) => ({ at: now - 40 * DAY - 7 * i * DAY, speedKmh: 40 })),
      );
      expect(await vehicleSilence(db, car, now)).toEqual({
        silent: true,
        lastMeasuredAt: now - 40 * DAY,
        expectedCadenceMs: DAY,
      });
    });
  });
}
