import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { ownerWithTrips, scoreAndRank, TRIP_KM } from '@/test/scoring-fixtures';
import { getTripScore, getVehicleScore } from './vehicle-score';

// The score pages' data on both engines: this week's score, the 30-day standing and its movement,
// the tip, the latest trips and one trip's explanation — and another owner's car or trip answers
// exactly like a missing one.

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 30, 12);

describe.each(ENGINES)('vehicle scores on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('gives the week, the standing with its movement, the tip and the latest trips', async () => {
    const { db } = database();
    // Calm trips 10 days ago (8) and rough trips 2 days ago (8): ranked a week ago on the calm
    // ones alone, now on both.
    const calm = await ownerWithTrips(db, `calm-${engine}@example.com`, {
      trips: 8,
      rough: false,
      firstMs: NOW - 10 * DAY,
    });
    const rough = await ownerWithTrips(db, `rough-${engine}@example.com`, {
      trips: 8,
      rough: true,
      firstMs: NOW - 10 * DAY,
    });
    await ownerWithTrips(db, `mixed-${engine}@example.com`, {
      trips: 8,
      rough: false,
      firstMs: NOW - 10 * DAY,
    });
    await scoreAndRank(db, NOW);

    const score = await getVehicleScore(db, calm.owner.id, calm.vehicle.id, NOW);
    expect(score?.standing).toMatchObject({
      eligible: true,
      group: { powertrain: 'petrol', segment: 'B' },
      groupSize: 3,
      ratedTrips: 8,
      ratedDistanceKm: 8 * TRIP_KM,
    });
    // Nobody scored lower than the two calm cars but the rough one: 1 of 3 below.
    expect(score?.standing.percentile).toBeCloseTo(100 / 3, 6);
    expect(score?.standing.movement).toBe(0);
    // No trip in the last 7 days.
    expect(score?.week).toEqual({ score: null, ratedTrips: 0, ratedDistanceKm: 0 });
    expect(score?.trips).toHaveLength(8);
    expect(score?.trips[0]?.startedAt).toBeGreaterThan(score?.trips[7]?.startedAt ?? Infinity);

    const roughScore = await getVehicleScore(db, rough.owner.id, rough.vehicle.id, NOW);
    expect(roughScore?.standing.percentile).toBe(0);
    expect(roughScore?.tip).toBe('smoothness');
    expect(roughScore?.requirements).toEqual({ km: 100, trips: 5 });
  });

  it('says what a car still needs before it is ranked', async () => {
    const { db } = database();
    const few = await ownerWithTrips(db, `few-${engine}@example.com`, {
      trips: 3,
      rough: false,
      firstMs: NOW - 2 * DAY,
    });
    await scoreAndRank(db, NOW);
    const score = await getVehicleScore(db, few.owner.id, few.vehicle.id, NOW);
    expect(score?.standing).toMatchObject({
      eligible: false,
      percentile: null,
      groupSize: null,
      ratedTrips: 3,
    });
    expect(score?.week.ratedTrips).toBe(3);
    expect(score?.week.score).toBeGreaterThan(80);
  });

  it('answers another owner’s car or trip like a missing one', async () => {
    const { db } = database();
    const mine = await ownerWithTrips(db, `mine-${engine}@example.com`, {
      trips: 1,
      rough: false,
      firstMs: NOW - DAY,
    });
    const theirs = await ownerWithTrips(db, `theirs-${engine}@example.com`, {
      trips: 1,
      rough: false,
      firstMs: NOW - DAY,
    });
    await scoreAndRank(db, NOW);
    expect(await getVehicleScore(db, mine.owner.id, theirs.vehicle.id, NOW)).toBeNull();
    expect(await getVehicleScore(db, mine.owner.id, 'no-such-vehicle', NOW)).toBeNull();

    const [theirTrip] = (await getVehicleScore(db, theirs.owner.id, theirs.vehicle.id, NOW))?.trips ?? [];
    expect(await getTripScore(db, theirs.owner.id, theirTrip?.id ?? '')).toMatchObject({
      notRatedReason: null,
    });
    expect(await getTripScore(db, mine.owner.id, theirTrip?.id ?? '')).toBeNull();
    expect(await getTripScore(db, mine.owner.id, 'no-such-trip')).toBeNull();
  });
});
