// The `<name>Label` siblings of v1 values: `{ label, groupLabel }` in the caller's locale. French
// for `fr_*`, English otherwise (the portal served both).

type Texts = { en: string; fr: string };

const GROUPS: Record<string, Texts> = {
  fuel: { en: 'Fuel', fr: 'Carburant' },
  maintenance: { en: 'Maintenance', fr: 'Entretien' },
};

const LABELS: Record<string, Texts> = {
  fuelTankAlerte: { en: 'Low fuel warning', fr: 'Alerte réservoir bas' },
  residualAutonomy: { en: 'Remaining range', fr: 'Autonomie restante' },
  fuelTotalConsumption: { en: 'Total fuel used', fr: 'Consommation totale' },
  fuelLevel: { en: 'Fuel level', fr: 'Niveau de carburant' },
  fuelTankCapacity: { en: 'Tank capacity', fr: 'Capacité du réservoir' },
  totMileage: { en: 'Odometer', fr: 'Kilométrage total' },
  indDayBeforeMaint: { en: 'Service due (time)', fr: 'Échéance d’entretien (temps)' },
  indMileageBeforeMaint: { en: 'Service due (distance)', fr: 'Échéance d’entretien (distance)' },
  dayBeforeMaint: { en: 'Days before service', fr: 'Jours avant l’entretien' },
  mileageBeforeMaint: { en: 'Distance before service', fr: 'Distance avant l’entretien' },
};
for (const second of [10, 20, 30, 40, 50, 60]) {
  LABELS[`instFuelConsumption${second}`] = {
    en: `Instantaneous consumption at ${second} s`,
    fr: `Consommation instantanée à ${second} s`,
  };
}

const pick = (texts: Texts | undefined, locale: string, fallback: string) =>
  texts ? (locale.startsWith('fr_') ? texts.fr : texts.en) : fallback;

export function labelOf(name: string, group: string, locale: string) {
  return { label: pick(LABELS[name], locale, name), groupLabel: pick(GROUPS[group], locale, group) };
}
