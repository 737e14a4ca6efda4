import { describe, expect, it } from 'vitest';
import { PSA_V4_ALERT_TYPES } from '../../vehicle-api/psa-v4/schema';
import { createSimContext } from '../context';
import type { SimVehicle } from '../world/world';
import {
  ALERT_CATALOGUE,
  type AlertType,
  alertById,
  alertsBetween,
  SIMULATED_ALERT_TYPES,
  type SimAlert,
} from './alerts';
import { serviceVisits } from './maintenance';
import { positionsHiddenAt } from './privacy';
import { DAY_MS } from './vehicle-timeline';

// Realism of the simulated alerts over a sample of peer cars. Targets per car-year:
// - random faults and reminders (tyres, oil, AdBlue, doors, washer fluid, pads…): ≈ 7, band 3–15;
// - FuelLevelLow on fuel cars: about one a month, band 2–40 a year;
// - RiskOfIce: a handful of trips a month in winter (band 1–60 a car-month), none in summer.

const NOW = Date.parse('2026-03-01T08:00:00Z');
const SEED = 'alerts-test';
const ctx = createSimContext({ seed: SEED, peers: 40 });
const peers = Array.from({ length: 40 }, (_, i) => ctx.world.ownerAt(i + 1).vehicles[0] as SimVehicle);
const sample = peers.slice(0, 20);
const YEAR_MS = 365 * DAY_MS;
const TIMELINE_TYPES: readonly AlertType[] = ['FuelLevelLow', 'RiskOfIce'];
const RANDOM_TYPES = SIMULATED_ALERT_TYPES.filter((type) => !TIMELINE_TYPES.includes(type));
const WINTER = [Date.parse('2026-01-05T00:00:00Z'), Date.parse('2026-02-02T00:00:00Z')] as const;
const SUMMER = [Date.parse('2025-07-07T00:00:00Z'), Date.parse('2025-08-04T00:00:00Z')] as const;
const isFuelCar = (car: SimVehicle) => car.powertrain !== 'electric';

function countByType(alerts: readonly SimAlert[]): Partial<Record<AlertType, number>> {
  const counts: Partial<Record<AlertType, number>> = {};
  for (const alert of alerts) counts[alert.type] = (counts[alert.type] ?? 0) + 1;
  return counts;
}

// A year of random faults for the sample, and four weeks of winter and of summer driving for the
// first eight cars (trip-derived alerts read every trip, so they are sampled).
const yearly = new Map(
  sample.map((car) => [car, alertsBetween(ctx, car, NOW - YEAR_MS, NOW, NOW, { types: RANDOM_TYPES })]),
);
const drivers = sample.slice(0, 8);
const winter = new Map(drivers.map((car) => [car, alertsBetween(ctx, car, WINTER[0], WINTER[1], NOW)]));
const summer = new Map(drivers.map((car) => [car, alertsBetween(ctx, car, SUMMER[0], SUMMER[1], NOW)]));

describe('alert catalogue', () => {
  it('uses 4.17 PascalCase types, the spec severities and sensible applicability', () => {
    expect(ALERT_CATALOGUE.map((entry) => entry.type)).toEqual([...SIMULATED_ALERT_TYPES]);
    // Spelled exactly as the spec's AlertMsgEnum (Kinetic's client schema lists all 104 values).
    for (const type of SIMULATED_ALERT_TYPES) expect(PSA_V4_ALERT_TYPES).toContain(type);
    for (const entry of ALERT_CATALOGUE) {
      expect(entry.type).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(['Information', 'Warning', 'Critical']).toContain(entry.severity);
      expect(entry.powertrains.length).toBeGreaterThan(0);
    }
    const powertrainsOf = (type: AlertType) =>
      ALERT_CATALOGUE.find((entry) => entry.type === type)?.powertrains;
    expect(powertrainsOf('AdBlueFault')).toEqual(['diesel']);
    expect(powertrainsOf('ChargingFailure')).toEqual(['electric']);
    for (const type of ['FuelLevelLow', 'OilLevelLow', 'EngineFault'] as const) {
      expect(powertrainsOf(type)).not.toContain('electric');
    }
    expect(ALERT_CATALOGUE.find((entry) => entry.type === 'EngineFault')?.severity).toBe('Critical');
    expect(ALERT_CATALOGUE.find((entry) => entry.type === 'RiskOfIce')?.severity).toBe('Information');
  });
});

describe('alert rates', () => {
  it('raises a sensible number of faults and reminders per car-year', () => {
    const totals = [...yearly.values()].map((alerts) => alerts.length);
    const mean = totals.reduce((sum, n) => sum + n, 0) / totals.length;
    expect(mean).toBeGreaterThanOrEqual(3);
    expect(mean).toBeLessThanOrEqual(15);
    expect(Math.max(...totals)).toBeLessThanOrEqual(30);
    const counts = countByType([...yearly.values()].flat());
    // Common reminders show up across 20 car-years; critical faults stay rare.
    expect(counts.TrunkOrHoodOpen ?? 0).toBeGreaterThan(5);
    expect(counts.AddWasherFluid ?? 0).toBeGreaterThan(5);
    expect(counts.EngineFault ?? 0).toBeLessThanOrEqual(6);
  });

  it('raises each alert only on the powertrains it belongs to', () => {
    for (const [car, alerts] of [...yearly, ...winter, ...summer]) {
      const types = new Set(alerts.map((alert) => alert.type));
      if (car.powertrain !== 'diesel') expect(types.has('AdBlueFault')).toBe(false);
      if (car.powertrain !== 'electric') expect(types.has('ChargingFailure')).toBe(false);
      if (!isFuelCar(car)) {
        for (const type of ['FuelLevelLow', 'OilLevelLow', 'EngineFault'] as const)
          expect(types.has(type)).toBe(false);
      }
    }
    expect(drivers.some((car) => !isFuelCar(car)) && drivers.some(isFuelCar)).toBe(true);
  });

  it('sees more under-inflated tyres in the cold months', () => {
    const tyres = [...yearly.values()].flat().filter((alert) => alert.type.endsWith('TireUnderInflated'));
    const month = (alert: SimAlert) => new Date(alert.startedAtMs).getUTCMonth();
    const cold = tyres.filter((alert) => [10, 11, 0, 1, 2].includes(month(alert))).length;
    const warm = tyres.filter((alert) => [5, 6, 7, 8].includes(month(alert))).length;
    expect(cold).toBeGreaterThan(warm);
  });

  it('warns of low fuel about once a month on fuel cars, when a trip ends low', () => {
    let low = 0;
    let fuelCars = 0;
    for (const car of drivers) {
      const alerts = [...(winter.get(car) ?? []), ...(summer.get(car) ?? [])].filter(
        (alert) => alert.type === 'FuelLevelLow',
      );
      if (!isFuelCar(car)) {
        expect(alerts).toEqual([]);
        continue;
      }
      fuelCars++;
      low += alerts.length;
      const timeline = ctx.fleet.timelineOf(car);
      for (const alert of alerts) {
        const trip = timeline.tripsBetween(alert.startedAtMs - DAY_MS, alert.startedAtMs + 1).at(-1);
        if (!trip) throw new Error('low fuel shows during a trip');
        expect(alert.startedAtMs).toBeLessThan(trip.endMs);
        expect(timeline.stateAt(trip.endMs).fuelLevelPct).toBeLessThan(12);
        expect(timeline.stateAt(alert.startedAtMs).fuelLevelPct).toBeLessThan(12);
        // Cleared by the refuel before the next trip.
        if (alert.endAtMs === null) throw new Error('these windows are long past');
        expect(timeline.tripsBetween(trip.endMs, alert.endAtMs + 1).map((next) => next.startMs)).toEqual([
          alert.endAtMs,
        ]);
        expect(timeline.stateAt(alert.endAtMs + 1000).fuelLevelPct).toBeGreaterThan(12);
      }
    }
    const perYear = low / fuelCars / ((2 * 28) / 365);
    expect(perYear).toBeGreaterThanOrEqual(2);
    expect(perYear).toBeLessThanOrEqual(40);
  });

  it('warns of ice on cold winter departures and never in summer', () => {
    for (const car of drivers) {
      const ice = (winter.get(car) ?? []).filter((alert) => alert.type === 'RiskOfIce');
      expect(ice.length).toBeGreaterThanOrEqual(1);
      expect(ice.length).toBeLessThanOrEqual(60);
      for (const alert of ice) {
        const trip = ctx.fleet.timelineOf(car).tripsBetween(alert.startedAtMs, alert.startedAtMs + 1)[0];
        expect(trip?.endMs).toBe(alert.endAtMs);
        expect(alert.trips.map((overlap) => overlap.id)).toEqual([trip?.id]);
      }
      expect((summer.get(car) ?? []).filter((alert) => alert.type === 'RiskOfIce')).toEqual([]);
    }
  });

  it('asks rough drivers to replace their brake pads sooner', () => {
    // Pads wear by distance: count warnings per 100,000 km since enrolment.
    const calm = { alerts: 0, km: 0 };
    const rough = { alerts: 0, km: 0 };
    for (const car of peers) {
      const aggressiveness = ctx.world.ownerAt(car.ownerIndex).style.aggressiveness;
      if (aggressiveness > 0.35 && aggressiveness < 0.6) continue;
      const from = ctx.fleet.enrolledAtMs(car);
      const pads = alertsBetween(ctx, car, from, NOW, NOW, { types: ['ReplaceBrakePads'] });
      // A pad warning clears at the next service at the latest (or at the first start after it).
      for (const alert of pads) {
        const next = serviceVisits(ctx, car, NOW).find((visit) => visit.atMs > alert.startedAtMs);
        if (alert.endAtMs !== null && next)
          expect(alert.endAtMs).toBeLessThanOrEqual(next.atMs + 14 * DAY_MS);
      }
      const timeline = ctx.fleet.timelineOf(car);
      const group = aggressiveness >= 0.6 ? rough : calm;
      group.alerts += pads.length;
      group.km += timeline.stateAt(NOW).odometerKm - timeline.stateAt(from).odometerKm;
    }
    expect(calm.km).toBeGreaterThan(500_000);
    expect(rough.km).toBeGreaterThan(500_000);
    const per100k = (group: typeof calm) => (group.alerts / group.km) * 100_000;
    // One warning per 40,000–120,000 km overall, more often for rough drivers.
    expect(per100k(calm)).toBeGreaterThan(0.5);
    expect(per100k(rough)).toBeLessThan(3);
    // Pad life is 70,000 km for the gentlest driver and 25,000 for the roughest; warnings that a
    // service pre-empts dilute the difference (measured ≈ ×1.4 here, ×1.8 over 100 cars).
    expect(per100k(rough)).toBeGreaterThan(per100k(calm));
  });
});

describe('alert lifecycle', () => {
  const all = [...winter.values(), ...yearly.values()].flat();

  it('is active exactly while now is in [startedAt, endAt)', () => {
    const car = drivers[0] as SimVehicle;
    const recent = alertsBetween(ctx, car, NOW - 30 * DAY_MS, NOW, NOW);
    for (const alert of [...all, ...recent]) {
      expect(alert.startedAtMs).toBeLessThanOrEqual(NOW);
      expect(alert.active).toBe(alert.endAtMs === null);
      if (alert.endAtMs !== null) {
        expect(alert.endAtMs).toBeGreaterThan(alert.startedAtMs);
        expect(alert.endAtMs).toBeLessThanOrEqual(NOW);
      }
    }
    // Ten days on, the same alerts have the same start; those that had ended keep their end, and
    // those that were on have ended since or are still on.
    const later = new Map(
      alertsBetween(ctx, car, NOW - 30 * DAY_MS, NOW + 10 * DAY_MS, NOW + 10 * DAY_MS).map((alert) => [
        alert.id,
        alert,
      ]),
    );
    for (const alert of recent) {
      const again = later.get(alert.id);
      expect(again?.startedAtMs).toBe(alert.startedAtMs);
      if (!alert.active) expect(again?.endAtMs).toBe(alert.endAtMs);
      else if (again?.endAtMs != null) expect(again.endAtMs).toBeGreaterThan(NOW);
    }
    // Nothing that starts after now exists yet: a window in the future holds only what is still on.
    const ahead = alertsBetween(ctx, car, NOW + 1, NOW + 10 * DAY_MS, NOW);
    expect(ahead.map((alert) => alert.id)).toEqual(
      recent.filter((alert) => alert.active).map((alert) => alert.id),
    );
  });

  it('is deterministic, and the same whichever window asks', () => {
    const car = drivers[1] as SimVehicle;
    const fresh = createSimContext({ seed: SEED, peers: 40 });
    const whole = alertsBetween(ctx, car, WINTER[0], WINTER[1], NOW);
    expect(alertsBetween(fresh, car, WINTER[0], WINTER[1], NOW)).toEqual(whole);
    const middle = WINTER[0] + 11 * DAY_MS;
    const split = [
      ...alertsBetween(fresh, car, WINTER[0], middle, NOW),
      ...alertsBetween(fresh, car, middle, WINTER[1], NOW).filter((alert) => alert.startedAtMs >= middle),
    ];
    expect(split.map((alert) => alert.id)).toEqual(whole.map((alert) => alert.id));
    const other = createSimContext({ seed: 'another-seed', peers: 40 });
    expect(alertsBetween(other, car, WINTER[0], WINTER[1], NOW).map((alert) => alert.id)).not.toEqual(
      whole.map((alert) => alert.id),
    );
  });

  it('finds each alert by its id, and nothing for unknown ids', () => {
    for (const [car, alerts] of [...winter].slice(0, 3)) {
      for (const alert of alerts) {
        expect(alert.id).toMatch(/^[0-9a-f]{64}$/);
        expect(alertById(ctx, car, alert.id, NOW)).toEqual(alert);
      }
      const first = alerts[0];
      if (!first) throw new Error('a winter month has alerts');
      // Before it started, it does not exist yet.
      expect(alertById(ctx, car, first.id, first.startedAtMs - 1)).toBeNull();
      expect(
        alertById(ctx, car, `${first.id.slice(0, 63)}${first.id.endsWith('0') ? '1' : '0'}`, NOW),
      ).toBeNull();
      expect(alertById(ctx, car, 'not-an-id', NOW)).toBeNull();
    }
  });

  it('hides positions when the car was in a privacy mode, and lists the trips it overlaps', () => {
    let hidden = 0;
    let shown = 0;
    for (const [car, alerts] of [...winter, ...yearly]) {
      for (const alert of alerts) {
        const hide = positionsHiddenAt(SEED, car, alert.startedAtMs);
        expect(alert.startPosition === null).toBe(hide);
        if (hide) hidden++;
        else {
          shown++;
          expect(alert.startPosition?.atMs).toBe(alert.startedAtMs);
          expect(Math.abs((alert.startPosition?.lat ?? 0) - ctx.fleet.timelineOf(car).home.lat)).toBeLessThan(
            0.5,
          );
        }
        if (alert.endAtMs !== null && !positionsHiddenAt(SEED, car, alert.endAtMs)) {
          expect(alert.endPosition?.atMs).toBe(alert.endAtMs);
        }
        const end = alert.endAtMs ?? NOW;
        for (const trip of alert.trips) expect(trip.startMs).toBeLessThan(end);
      }
    }
    expect(hidden).toBeGreaterThan(0);
    expect(shown).toBeGreaterThan(hidden);
  });
});
