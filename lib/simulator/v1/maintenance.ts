import type { SimContext } from '../context';
import { fuelAutonomyKm, instantFuelLPer100km, lifetimeFuelLitres } from '../fleet/energy-readings';
import { maintenanceAt } from '../fleet/maintenance';
import { hasEngine } from '../physics/vehicle-models';
import type { SimVehicle } from '../world/world';
import { V1Error } from './gateway';
import { labelOf } from './labels';
import type { V1Presentation } from './params';
import { fromKm, fromLitres, fromLPer100km } from './units';

// GET /maintenance/{vin} (spec fetchMaintenanceDataByVehicle, vehicle-apis.md §7): the fuel block
// (combustion and hybrid cars) and the service counters, every value with a `<name>Label`
// sibling `{ label, groupLabel }` in the caller's locale. Values are what the car reported last
// (the end of its last trip, or the present while it drives), as v4's maintenance says.

/** The service is "soon" within this many days or km (indicator "1"); "2" once overdue. */
const SOON_DAYS = 30;
const SOON_KM = 1000;
/** The tank warning light comes on below this level. */
const TANK_ALERT_PCT = 12;

const indicator = (left: number, soon: number) => (left < 0 ? '2' : left <= soon ? '1' : '0');

function withLabels(values: Record<string, number | string>, group: string, locale: string) {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    out[name] = value;
    out[`${name}Label`] = labelOf(name, group, locale);
  }
  return out;
}

export function maintenanceBody(
  ctx: SimContext,
  vehicle: SimVehicle,
  presentation: V1Presentation,
  nowMs: number,
) {
  const counters = maintenanceAt(ctx, vehicle, nowMs);
  if (!counters) throw new V1Error(404, 'No data for this vehicle yet.');
  const timeline = ctx.fleet.timelineOf(vehicle);
  const reportedMs = Math.min(nowMs, counters.createdAtMs);
  const state = timeline.stateAt(reportedMs);
  const { imperial, locale } = presentation;
  const model = timeline.model;

  let fuel: Record<string, unknown> | undefined;
  if (hasEngine(model) && model.tankLitres && state.fuelLevelPct !== null) {
    const level = state.fuelLevelPct;
    // The last minute's readings at seconds 10…60, while the car drove; 0 while it is parked.
    const instant: Record<string, number> = {};
    const trip = state.tripId
      ? timeline.tripsBetween(reportedMs - 86_400_000, reportedMs + 1).at(-1)
      : undefined;
    const trace = trip ? timeline.traceOf(trip) : null;
    for (const second of [10, 20, 30, 40, 50, 60]) {
      let value = 0;
      if (trip && trace) {
        const i = Math.floor((reportedMs - 60_000 + second * 1000 - trip.startMs) / 1000);
        if (i >= 0 && i < trace.speedKmh.length) {
          value = instantFuelLPer100km(trace.fuelRateLph[i] ?? 0, trace.speedKmh[i] ?? 0);
        }
      }
      instant[`instFuelConsumption${second}`] = fromLPer100km(value, imperial);
    }
    // The same figure v4's status gives in cL.
    const totalLitres = lifetimeFuelLitres(model, state.odometerKm);
    fuel = withLabels(
      {
        fuelTankAlerte: level < TANK_ALERT_PCT ? 1 : 0,
        residualAutonomy: fromKm(fuelAutonomyKm(model, level), imperial),
        fuelTotalConsumption: fromLitres(totalLitres, imperial),
        fuelLevel: Math.round(level * 10) / 10,
        fuelTankCapacity: fromLitres(model.tankLitres, imperial),
        ...instant,
      },
      'fuel',
      locale,
    );
  }

  const maintenance = withLabels(
    {
      totMileage: fromKm(state.odometerKm, imperial),
      indDayBeforeMaint: indicator(counters.daysBeforeMaintenance, SOON_DAYS),
      indMileageBeforeMaint: indicator(counters.mileageBeforeMaintenance, SOON_KM),
      dayBeforeMaint: counters.daysBeforeMaintenance,
      mileageBeforeMaint: fromKm(counters.mileageBeforeMaintenance, imperial),
    },
    'maintenance',
    locale,
  );

  return {
    ...(fuel ? { fuel } : {}),
    maintenance,
    vin: vehicle.vin,
    lastUpdate: new Date(Math.floor(reportedMs / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    contract: vehicle.contract,
  };
}
