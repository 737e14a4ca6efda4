import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser } from '../db/queries/users';
import { storeVehicleData } from '../db/queries/vehicle-data';
import { createVehicle } from '../db/queries/vehicles';
import { type EcoEvaluation, emptyVehicleData } from '../telemetry/model';
import { periodMakerEvaluation, tripMakerEvaluation } from './maker-evaluation';

// The maker's own evaluation (PSA v1) read back for the Score tab and a trip's page, on both
// engines: this month's first, then all trips', then the latest day's; a trip's own; and nothing
// for another owner.

const NOW = Date.UTC(2026, 4, 20, 12);
const source = { provider: 'psa-v1' as const, ref: 'eco' };
const evaluation = (scope: EcoEvaluation['scope'], mark: number): EcoEvaluation => ({
  at: NOW - 86_400_000,
  scope,
  mark,
  scaleMax: 10,
  criteria: { acceleration: mark - 1, braking: mark + 0.5 },
  source,
});

describe.each(ENGINES)('maker evaluations on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('picks this month’s, else all trips’, else the latest day’s; a trip’s own; nothing for a stranger', async () => {
    const { db } = database();
    const owner = await createUser(db, { email: `maker-${engine}@example.com`, passwordHash: null });
    const stranger = await createUser(db, { email: `stranger-${engine}@example.com`, passwordHash: null });
    const car = await createVehicle(db, owner.id, {
      label: 'C4',
      brand: 'citroen',
      model: 'C4',
      powertrain: 'diesel',
      vin: `VR7MAKER${engine.toUpperCase()}00001`,
    });
    const store = (ecoEvaluations: EcoEvaluation[]) =>
      storeVehicleData(db, car.id, { ...emptyVehicleData(), ecoEvaluations });
    expect(await periodMakerEvaluation(db, owner.id, car.id, NOW)).toBeNull();

    await store([
      evaluation({ kind: 'day', day: '2026-05-02' }, 5),
      evaluation({ kind: 'day', day: '2026-05-12' }, 6),
    ]);
    expect(await periodMakerEvaluation(db, owner.id, car.id, NOW)).toMatchObject({
      scope: 'day',
      period: '2026-05-12',
      mark: 6,
    });
    await store([evaluation({ kind: 'all' }, 7)]);
    expect(await periodMakerEvaluation(db, owner.id, car.id, NOW)).toMatchObject({
      scope: 'all',
      period: null,
      mark: 7,
    });
    // Last month's does not count as this month's.
    await store([evaluation({ kind: 'month', month: '2026-04' }, 3)]);
    expect((await periodMakerEvaluation(db, owner.id, car.id, NOW))?.scope).toBe('all');
    await store([evaluation({ kind: 'month', month: '2026-05' }, 8.4)]);
    expect(await periodMakerEvaluation(db, owner.id, car.id, NOW)).toEqual({
      provider: 'psa-v1',
      scope: 'month',
      period: '2026-05',
      mark: 8.4,
      scaleMax: 10,
      criteria: { acceleration: 7.4, braking: 8.9 },
      at: NOW - 86_400_000,
    });
    expect(await periodMakerEvaluation(db, stranger.id, car.id, NOW)).toBeNull();

    // A trip's own evaluation, by the provider's trip id.
    await storeVehicleData(db, car.id, {
      ...emptyVehicleData(),
      trips: [
        {
          providerTripId: 'trip-42',
          startedAt: NOW - 3_600_000,
          endedAt: NOW - 1_800_000,
          distanceKm: 20,
          durationS: 1800,
          source,
        },
      ],
      ecoEvaluations: [evaluation({ kind: 'trip', providerTripId: 'trip-42' }, 9)],
    });
    const trip = await db
      .selectFrom('trips')
      .select('id')
      .where('vehicle_id', '=', car.id)
      .executeTakeFirstOrThrow();
    expect(await tripMakerEvaluation(db, owner.id, trip.id)).toMatchObject({ scope: 'trip', mark: 9 });
    expect(await tripMakerEvaluation(db, stranger.id, trip.id)).toBeNull();
    expect(await tripMakerEvaluation(db, owner.id, 'no-such-trip')).toBeNull();
  });
});
