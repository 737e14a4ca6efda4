// English messages of the `scores` namespace (ICU message syntax, see next-intl).
export const scores = {
  title: 'Driving score',
  intro: 'How {vehicle} is driven: the score of its trips and where it stands among similar cars.',
  group:
    '{powertrain, select, petrol {petrol} diesel {diesel} hybrid {hybrid} electric {electric} other {fuel not stated}} · {segment, select, b {B-segment} suvb {B-SUV} c {C-segment} suvc {C-SUV} d {D-segment} other {other models}}',
  outOf: 'out of 100',
  band: {
    calm: 'Calm',
    normal: 'Normal',
    dynamic: 'Dynamic',
  },
  week: {
    title: 'Last 7 days',
    trips: '{count, plural, one {# rated trip} other {# rated trips}}, {distance}',
    none: 'No rated trip in the last 7 days.',
  },
  rank: {
    title: 'Rank, last 30 days',
    alone: 'The only ranked driver of {group} so far: the percentile comes with the next one.',
    better: 'Better than {percentile}% of the {size, plural, one {# driver} other {# drivers}} of {group}.',
    notYet:
      'Not ranked yet: Kinetic ranks a car once it has driven {km} in {trips} rated trips within 30 days. So far: {doneKm} in {doneTrips, plural, one {# trip} other {# trips}}.',
    up: 'Up {points, plural, one {# point} other {# points}} since last week',
    down: 'Down {points, plural, one {# point} other {# points}} since last week',
    same: 'Same as last week',
    peersLoading:
      'Kinetic is still bringing other drivers in ({synced} of {total} so far): the rank settles once they are all here.',
  },
  components: {
    title: 'What the score is made of',
    smoothness: 'Smoothness',
    speed: 'Speed',
    engine: 'Engine use',
    idling: 'Idling',
    anticipation: 'Anticipation',
    consumption: 'Consumption',
    notRated: 'not rated',
  },
  tipTitle: 'One thing to try',
  tips: {
    smoothness:
      'Speed up and slow down more gently: look further ahead and let the car roll before you brake. Hard starts and stops cost the most points.',
    speed: 'Stay at or below {speed} on the motorway: time above it costs points, and fuel.',
    engine: 'Change up earlier: keep the engine below {rpm} rpm, where it works most efficiently.',
    idling: 'Switch the engine off when you wait more than two minutes.',
    anticipation:
      'After speeding up, keep an eye on the traffic ahead: braking firmly soon after accelerating wastes the speed you just paid for.',
    consumption:
      'Your consumption is above that of the same model at similar speeds: smoother driving brings it down.',
    none: 'Nothing stands out: keep driving like this.',
  },
  trips: {
    title: 'Latest trips',
    empty: 'No trip scored yet: a trip is scored a few seconds after it ends.',
    notRated: 'Not rated',
    reason: {
      flagged: 'flagged incomplete by the car maker',
      too_short: 'too short to judge',
      too_sparse: 'too few readings',
      implausible: 'impossible readings',
    },
  },
  trip: {
    title: 'Score',
    moments: 'Moments that cost points',
    kind: {
      harsh_acceleration: 'Harsh acceleration',
      harsh_braking: 'Harsh braking',
      very_high_speed: 'Above {speed}',
      hasty_speed_up: 'Speed-up, then firm braking',
      high_engine_speed: 'Engine above {rpm} rpm',
      long_idling: 'Long idling',
    },
    points: '−{points} points',
    showOnChart: 'Show on the chart',
    noMoments: 'No single moment cost this trip a point or more.',
    notRated: 'This trip is not rated: {reason}.',
    pending: 'This trip has not been scored yet: scores arrive a few seconds after a trip ends.',
  },
  methodologyLink: 'How the score is computed',
  maker: {
    title: '{brand}’s own evaluation',
    scope: {
      month: 'Over {month}',
      day: 'On {day}',
      all: 'Over all trips',
      trip: 'Of this trip',
    },
    mark: '{mark} / {max}',
    criteria: {
      acceleration: 'Acceleration',
      braking: 'Braking',
      engineSpeed: 'Engine speed',
      stopAndStart: 'Stop & Start',
      speed: 'Speed',
      slope: 'Slopes',
      coldTrips: 'Cold starts',
    },
    note: 'As {brand} gives it, on its own scale. Kinetic’s score follows its own published rules, so the two can disagree.',
  },
};
