import { describe, expect, it } from 'vitest';
import { analyzeDriving } from '@/lib/scoring/events';
import { drivingFeatures, highRpmRuns, type ScoringReading } from '@/lib/scoring/features';
import { peerGroupOf } from '@/lib/scoring/peer-group';
import { scorePeriod } from '@/lib/scoring/period-score';
import { engineLimitRpm, scoreTrip } from '@/lib/scoring/trip-score';
import { createFleet } from '@/lib/simulator/fleet/fleet';
import type { TripRecord } from '@/lib/simulator/fleet/vehicle-timeline';
import { createWorld } from '@/lib/simulator/world/world';
import { median } from '@/scripts/bench/types';

// Issue 7's proof on the simulated fleet: over 30 days, aggressive drivers rank below smooth
// drivers of the same peer group in at least 95 % of pairs. The default world (100 peers and the
// demo owner, SIM_PEERS' default) drives its 30 days in the simulator's physics; every trip's
// 1 Hz trace is scored by Kinetic's own rules (lib/scoring), consumption against the median of
// the same model at a similar average speed as the app does (lib/db/queries/trip-scores.ts), and
// each car's period is the distance-weighted mean of its rated trips, ranked once it has 100 km
// and 5 rated trips. The simulator's styles are its `aggressiveness` (0 calm … 1 aggressive): an
// aggressive driver is ≥ 0.6, a smooth one ≤ 0.4.
//
// The traces go straight from the physics to the scoring here, not through the v4 API and the
// worker: the sync path is proven elsewhere (the CLI and worker tests), and this keeps a 30-day
// fleet to half a minute.

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 9, 1);
const PEERS = 100;
const AGGRESSIVE = 0.6;
const SMOOTH = 0.4;

type ScoredCar = { group: string; aggressiveness: number; score: number | null; km: number; trips: number };

type DrivenTrip = {
  trip: TripRecord;
  readings: ScoringReading[];
  consumption: number | null;
  band: number;
};

const band = (trip: TripRecord) => {
  const kmh = trip.distanceKm / ((trip.endMs - trip.startMs) / 3_600_000);
  return kmh < 40 ? 0 : kmh < 80 ? 1 : 2;
};

function scoreFleet(): ScoredCar[] {
  const world = createWorld({ seed: 'kinetic-fleet-ranking', peers: PEERS });
  const fleet = createFleet(world, { backfillDays: 30 });
  const cars: Array<{
    model: string;
    powertrain: 'petrol' | 'diesel' | 'hybrid' | 'electric';
    aggressiveness: number;
    trips: DrivenTrip[];
  }> = [];
  for (let index = 0; index <= PEERS; index++) {
    const owner = world.ownerAt(index);
    for (const vehicle of owner.vehicles) {
      const timeline = fleet.timelineOf(vehicle);
      const electric = vehicle.powertrain === 'electric';
      const trips = timeline.tripsBetween(NOW - 30 * DAY, NOW).map((trip) => {
        const trace = timeline.traceOf(trip);
        const readings: ScoringReading[] = [];
        for (let k = 0; k < trace.speedKmh.length; k++) {
          readings.push({
            at: trip.startMs + k * 1000,
            speedKmh: trace.speedKmh[k],
            ...(electric ? {} : { engineRpm: trace.engineRpm[k] }),
            ignition: true,
          });
        }
        const last = trace.speedKmh.length - 1;
        const used = electric ? trace.energyKwh[last] : trace.fuelL[last];
        const consumption =
          used !== undefined && trip.distanceKm >= 1 ? (used / trip.distanceKm) * 100 : null;
        return { trip, readings, consumption, band: band(trip) };
      });
      cars.push({
        model: vehicle.model,
        powertrain: vehicle.powertrain,
        aggressiveness: owner.style.aggressiveness,
        trips,
      });
    }
  }

  // The consumption reference: the median of the same model's trips in the same speed band.
  const samples = new Map<string, number[]>();
  const keyOf = (car: (typeof cars)[number], trip: DrivenTrip) =>
    `${car.model}|${car.powertrain}|${trip.band}`;
  for (const car of cars)
    for (const trip of car.trips)
      if (trip.consumption !== null)
        samples.set(keyOf(car, trip), [...(samples.get(keyOf(car, trip)) ?? []), trip.consumption]);

  return cars.map((car) => {
    const scored = car.trips.map((driven) => {
      const reference = samples.get(keyOf(car, driven)) ?? [];
      const score = scoreTrip({
        features: drivingFeatures(driven.readings),
        events: analyzeDriving(driven.readings).events,
        distanceKm: driven.trip.distanceKm,
        durationS: (driven.trip.endMs - driven.trip.startMs) / 1000,
        powertrain: car.powertrain,
        consumption:
          driven.consumption === null
            ? null
            : { value: driven.consumption, reference: reference.length >= 5 ? median(reference) : null },
        highRpmRuns:
          car.powertrain === 'electric' ? [] : highRpmRuns(driven.readings, engineLimitRpm(car.powertrain)),
      });
      return {
        distanceKm: driven.trip.distanceKm,
        score: score.rated ? score.score : null,
        components: score.components,
      };
    });
    const period = scorePeriod(scored);
    return {
      group: peerGroupOf(car).key,
      aggressiveness: car.aggressiveness,
      score: period.score,
      km: period.ratedDistanceKm,
      trips: period.ratedTrips,
    };
  });
}

describe('the simulated fleet over 30 days', () => {
  it('ranks aggressive drivers below smooth drivers of the same peer group in at least 95 % of pairs', () => {
    const ranked = scoreFleet().filter((car) => car.score !== null && car.km >= 100 && car.trips >= 5);
    let pairs = 0;
    let inOrder = 0;
    for (const rough of ranked) {
      if (rough.aggressiveness < AGGRESSIVE) continue;
      for (const smooth of ranked) {
        if (smooth.aggressiveness > SMOOTH || smooth.group !== rough.group) continue;
        pairs++;
        if ((rough.score as number) < (smooth.score as number)) inOrder++;
      }
    }
    console.log(`[fleet-ranking] ${ranked.length} ranked cars, ${inOrder} of ${pairs} pairs in order`);
    // Enough pairs to mean something: the default world has a few hundred.
    expect(pairs).toBeGreaterThanOrEqual(100);
    expect(inOrder / pairs).toBeGreaterThanOrEqual(0.95);
  });
});
