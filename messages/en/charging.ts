// English messages of the `charging` namespace (ICU message syntax, see next-intl).
export const charging = {
  title: 'Charging',
  intro: 'Charging sessions of {label}, newest first.',
  notChargeable:
    '{label} has no battery to plug in: charging sessions are for electric and plug-in hybrid cars.',
  list: {
    heading: 'Charging sessions',
    empty: 'No charging sessions yet.',
    loadMore: 'Load more',
    loading: 'Loading more sessions…',
    end: 'All sessions shown.',
    error: 'Charging sessions could not be loaded: {message}',
    ongoing: 'Charging now',
    levels: '{start} → {end}',
    open: 'Charge of {date}',
  },
  detail: {
    title: 'Charge of {date}',
    back: 'All charges',
    summary: 'Summary',
    started: 'Started',
    ended: 'Ended',
    ongoing: 'Still charging',
    duration: 'Duration',
    energyAdded: 'Energy added',
    avgPower: 'Average power',
    startLevel: 'Battery at start',
    endLevel: 'Battery at end',
    notKnown: 'not known',
    origin: {
      provider: 'Reported by the car’s service.',
      derived:
        'Found by Kinetic in the car’s battery readings; energy is what the battery stored, charging losses not counted.',
    },
  },
  power: {
    heading: 'Power over time',
    none: 'Not enough battery readings during this charge to show the power.',
    unknownCapacity:
      'kW not known for this car (its battery capacity is not known): the rise of the battery level in % per hour is shown.',
    estimated: 'Estimated from the rise of the battery level ({capacity} kWh usable).',
    label: 'Charging power from {start} to {end}; peak {peak}.',
    peak: 'Peak',
  },
};
