// English messages of the `methodology` namespace: the public /methodology page. Every number is
// passed in from the code's own constants (app/methodology/page.tsx), so the words cannot drift
// from the rules.
export const methodology = {
  title: 'How Kinetic scores driving',
  intro:
    'Every finished trip gets a score from 0 to 100, computed from the car’s own readings by the same rules for every driver, whatever the brand or the source. This page states every formula and threshold in plain words.',
  readings: {
    heading: 'From readings to motion',
    body: 'Speed readings more than {gapS} s apart are never joined: nothing is assumed about a gap. A single reading that sticks out above or below both its neighbours is taken for a glitch and ignored. Speed is then drawn on a 10-per-second grid and averaged over half a second; acceleration is its rate of change. The car counts as moving from {movingKmh} km/h.',
  },
  events: {
    heading: 'Harsh events',
    body: 'A harsh acceleration or braking is {harsh} m/s² or more (about 7 mph per second, the level insurers use), held for at least {sustainS} s. It is severe when it peaks at {severe} m/s² or more. Events of the same kind within a minute count once.',
  },
  components: {
    heading: 'What the score is made of',
    smoothness:
      'Smoothness. {eventsShare}% from events: 100, minus {perEvent} points per harsh event per 100 km (a severe one counts twice). {profileShare}% from the acceleration profile: the 95th percentile of acceleration while moving scores 100 at {accGood} m/s² or less and 0 at {accBad} m/s²; the same for deceleration between {decGood} and {decBad} m/s²; the two are averaged. Readings once a second rarely show a harsh event even in rough driving; the profile still tells calm from rough.',
    speed:
      'Speed. 100, minus {points} points per percent of moving time above {limitKmh} km/h. Kinetic does not know the limit of each road, so this is the one speed rule that is fair everywhere.',
    engine:
      'Engine use. 100, minus {points} points per percent of engine time above {petrolRpm} rpm (petrol, hybrid, or fuel not stated) or {dieselRpm} rpm (diesel). Needs a minute of engine-speed readings; electric cars are not rated on it.',
    idling:
      'Idling. 100, minus {points} points per minute of idling per hour of driving, counting only what goes beyond the first {freeMin} minutes of each stop (a red light costs nothing). Only for cars that say whether their engine runs; electric cars are not rated on it.',
    anticipation:
      'Anticipation. The share of speed-ups ({upS} s or more at {upMs2} m/s² or above) that were not followed within {windowS} s by firm braking ({brakeMs2} m/s² or below): speed gained and thrown away because the road ahead was not read.',
    consumption:
      'Consumption. The trip’s consumption against the median of the same model’s trips at a similar average speed (town, mixed or open road) over the last 90 days, once there are {minTrips} of them: 100 at {good}% of the median or less, 50 at {half}%, 0 at {bad}%.',
  },
  weights: {
    heading: 'The score',
    body: 'The score is the weighted mean of the components that could be rated: smoothness {smoothness}, speed {speed}, engine use {engine}, anticipation {anticipation}, idling {idling}, consumption {consumption}. A component without inputs is not counted as 0: its weight is shared out among the others. Scores of {calm} and above are calm, below {dynamic} dynamic.',
  },
  notRated: {
    heading: 'Trips that are not rated',
    body: 'A trip shorter than {minKm} km, with less than {minMovingMin} minutes of moving readings, or whose readings cover less than half of its duration is too short or too sparse to judge: it gets no score rather than a low one. So does a trip with impossible readings (above {maxKmh} km/h, or an acceleration beyond {maxMs2} m/s²): a sensor fault is not driving. Nor is a trip the car maker itself flags as incomplete (never started, data missing, never finished).',
  },
  ranking: {
    heading: 'Periods and ranking',
    body: 'A week’s or a month’s score is the mean of its rated trips weighted by distance: a long drive counts more than a short errand. A car is ranked once it has driven {minKm} km in {minTrips} rated trips within the last 30 days, against the ranked cars of its peer group: the same powertrain in the same market segment. Its percentile is the share of that group with a lower score: higher is better. Scores are compared to a tenth of a point; equal ones share a place. The movement compares it with a week earlier.',
  },
  leaderboards: {
    heading: 'Leaderboards',
    body: 'Every ranked car has a place on three boards — its peer group, its model, and everyone — but nobody sees it there unless its owner joins, under a random pseudonym they can change; leaving takes the entry off at once. A board lists nobody until at least {min} of its ranked cars are listed, so no one can be singled out. Private groups rank their members among themselves; outsiders see a group’s scores only once it has {min} members. Boards and shared links carry pseudonyms, whole scores and ranks: never a name, a VIN, a place, a time or a speed.',
  },
  explanation: {
    heading: 'Explanations',
    body: 'Each harsh event, stretch above {limitKmh} km/h, run above the engine band, long stop and hasty speed-up is given the points it cost the trip, and the costliest are listed with a link to that moment on the charts. The tip names the component that cost the most points.',
  },
  limits: {
    heading: 'What it cannot see',
    body: 'Kinetic does not know speed limits, road slope, traffic or weather, so none of them counts against a driver beyond the rules above. A reading repeated with a new time can make a brisk speed-up look harder than it was. The consumption component needs other cars of the same model.',
  },
  back: 'Back to Kinetic',
};
