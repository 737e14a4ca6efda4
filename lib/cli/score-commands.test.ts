import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { ownerWithTrips } from '@/test/scoring-fixtures';
import { createUser } from '../db/queries/users';
import type { Database } from '../db/schema';
import { type CliRun, runCliCaptured } from './cli-for-tests';

// `scores` end to end on both engines: trips stored the way the worker stores them are scored on
// demand, listed with the interfaces.md fields, and the car is ranked among its peer group once it
// has 100 km and 5 rated trips in the last 30 days — a calm driver above a rough one.

const DAY = 86_400_000;
// Whole seconds, a few days back, so every trip falls inside the 30-day window.
const T0 = Math.floor((Date.now() - 5 * DAY) / 1000) * 1000;

const carWithTrips = (db: Kysely<Database>, email: string, trips: number, rough: boolean) =>
  ownerWithTrips(db, email, { trips, rough, firstMs: T0 });

describe.each(ENGINES)('scores on %s', (engine) => {
  const database = useTestDatabase(engine);
  const cli = (...argv: string[]): Promise<CliRun> => runCliCaptured(argv, database().env);

  it('lists scored trips and leaves an unranked car without period figures', async () => {
    await carWithTrips(database().db, `few-${engine}@example.com`, 2, false);
    const run = await cli('scores', '--owner', `few-${engine}@example.com`, '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.trips).toHaveLength(2);
    expect(out.trips[0]).toEqual({
      id: expect.any(String),
      startedAt: new Date(T0).toISOString(),
      distanceKm: 13,
      score: expect.any(Number),
      components: {
        smoothness: expect.any(Number),
        speed: 100,
        engine: 100,
        idling: expect.any(Number),
        anticipation: 100,
        consumption: null,
      },
      events: [],
    });
    // 26 km in 2 trips: not ranked yet.
    expect(out.period).toEqual({ score: null, percentile: null, group: null, groupSize: null });
  });

  it('ranks a calm driver above a rough one in the same peer group', async () => {
    const { db } = database();
    await carWithTrips(db, `calm-${engine}@example.com`, 8, false);
    await carWithTrips(db, `rough-${engine}@example.com`, 8, true);
    await carWithTrips(db, `rough2-${engine}@example.com`, 8, true);

    const calm = JSON.parse((await cli('scores', '--owner', `calm-${engine}@example.com`, '--json')).stdout);
    const rough = JSON.parse(
      (await cli('scores', '--owner', `rough-${engine}@example.com`, '--vehicle', 'My 208', '--json')).stdout,
    );
    expect(rough.trips[0].events).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'harsh_braking', severity: 'severe' })]),
    );
    expect(calm.period.group).toBe('petrol · B-segment');
    // Three ranked cars (the 2-trip car of the first test is not): the calm one beats both.
    expect(calm.period.groupSize).toBe(3);
    expect(calm.period.percentile).toBeCloseTo((100 * 2) / 3, 1);
    expect(rough.period.score).toBeLessThan(calm.period.score);
    expect(rough.period.percentile).toBeLessThan(calm.period.percentile);
  });

  it('answers an unknown car like an unknown owner: not found', async () => {
    await createUser(database().db, { email: `nocar-${engine}@example.com`, passwordHash: 'h' });
    const run = await cli('scores', '--owner', `nocar-${engine}@example.com`, '--vehicle', 'Nope', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe('not_found');
    const nobody = await cli('scores', '--owner', `nobody-${engine}@example.com`, '--json');
    expect(JSON.parse(nobody.stdout).error.code).toBe('not_found');
  });
});
