import { SIMULATED_ALERT_TYPES } from '../../fleet/alerts';
import { labelOf } from '../labels';
import { ALERT_GROUPS, ALERT_TEXTS, textIn } from './alert-texts';

// GET /referential/alert and GET /referential/maintenance (spec fetchAlertReferential,
// fetchMaintenanceReferential; vehicle-apis.md §7): catalogues `[{ indicatorCode, indicatorLabel,
// rgrpCode, rgrpLabel }]` with no car in them. [infer] The spec does not say what the codes are:
// - alerts: the code is the 4.17 AlertMsgEnum value (what v4 calls the alert's `type`), one row per
//   type the simulator raises, with the title and group GET /maintenance/alert/{vin} writes in
//   `alert` and `category`, so a client maps a v1 alert to its code by those two labels;
// - maintenance: the code is the field name in GET /maintenance/{vin} and the group its block
//   (`fuel`, `maintenance`), with the `<name>Label` texts that endpoint writes beside the value.

export type ReferentialRow = {
  indicatorCode: string;
  indicatorLabel: string;
  rgrpCode: string;
  rgrpLabel: string;
};

export function alertReferential(locale: string): ReferentialRow[] {
  return SIMULATED_ALERT_TYPES.map((type) => {
    const { title, group } = ALERT_TEXTS[type];
    return {
      indicatorCode: type,
      indicatorLabel: textIn(title, locale),
      rgrpCode: group,
      rgrpLabel: textIn(ALERT_GROUPS[group], locale),
    };
  });
}

/**
 * The values of GET /maintenance/{vin} by block, in the order that endpoint writes them
 * (lib/simulator/v1/maintenance.ts). The fuel block is only there for cars with an engine.
 */
export const MAINTENANCE_INDICATORS = {
  fuel: [
    'fuelTankAlerte',
    'residualAutonomy',
    'fuelTotalConsumption',
    'fuelLevel',
    'fuelTankCapacity',
    'instFuelConsumption10',
    'instFuelConsumption20',
    'instFuelConsumption30',
    'instFuelConsumption40',
    'instFuelConsumption50',
    'instFuelConsumption60',
  ],
  maintenance: [
    'totMileage',
    'indDayBeforeMaint',
    'indMileageBeforeMaint',
    'dayBeforeMaint',
    'mileageBeforeMaint',
  ],
} as const;

export function maintenanceReferential(locale: string): ReferentialRow[] {
  return Object.entries(MAINTENANCE_INDICATORS).flatMap(([group, names]) =>
    names.map((name) => {
      const { label, groupLabel } = labelOf(name, group, locale);
      return { indicatorCode: name, indicatorLabel: label, rgrpCode: group, rgrpLabel: groupLabel };
    }),
  );
}
