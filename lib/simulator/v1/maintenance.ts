import type { SimContext } from '../context';
import { fuelAutonomyKm, lifetimeFuelLitres } from '../fleet/energy-readings';
import { maintenanceAt } from '../fleet/maintenance';
import { hasEngine } from '../physics/vehicle-models';
import { rfc3339 } from '../v4/hal';
import type { SimVehicle } from '../world/world';
import { V1Error } from './gateway';
import { labelOf } from './labels';
import type { V1Presentation } from './params';
import { EVERY_TEN_SECONDS, instantConsumptionAt, lastMinute } from './telemetry/last-minute';
import { fromKm, fromLitres, fromLPer100km } from './units';

// GET /maintenance/{vin} (spec fetchMaintenanceDataByVehicle, vehicle-apis.md §7): the fuel block
// (combustion and hybrid cars) and the service counters, every value with a `<name>Label`
// sibling `{ label, groupLabel }` in the caller's locale. Values are what the car reported last
// (v4's last upload: every 30 s while it drives, key-off once parked); the service counters are
// v4's maintenance at the same instant.

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
  // The car's last report: the same minute /running/data reads, so both give one fuel level and
  // the same instantaneous consumption at seconds 10…60.
  const minute = lastMinute(ctx, vehicle, nowMs);
  const { state } = minute.upload;
  const { imperial, locale } = presentation;
  const model = ctx.fleet.timelineOf(vehicle).model;

  let fuel: Record<string, unknown> | undefined;
  if (hasEngine(model) && model.tankLitres && state.fuelLevelPct !== null) {
    const level = state.fuelLevelPct;
    const instant: Record<string, number> = {};
    for (const second of EVERY_TEN_SECONDS) {
      instant[`instFuelConsumption${second}`] = fromLPer100km(instantConsumptionAt(minute, second), imperial);
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
    lastUpdate: rfc3339(minute.reportMs),
    contract: vehicle.contract,
  };
}
