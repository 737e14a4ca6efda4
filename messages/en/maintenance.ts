// English messages of the `maintenance` namespace (ICU message syntax, see next-intl).
export const maintenance = {
  title: 'Maintenance',
  intro: 'When {vehicle} is next due for a service, from its own indicator and how much you drive.',
  card: {
    title: 'Next service',
    timeLeft: 'Time left',
    distanceLeft: 'Distance left',
    notReported: 'Not reported',
    days: '{days, plural, one {# day} other {# days}}',
    daysOverdue: '{days, plural, one {# day} other {# days}} overdue',
    distanceOverdue: '{distance} overdue',
    dueAround: 'Due around {date}',
    forecast:
      'At your pace: about {duration}, {limit, select, time {time will come first} distance {distance will come first} other {}}.',
    forecastToday:
      'At your pace: due about now, {limit, select, time {time comes first} distance {distance comes first} other {}}.',
    timeOnly:
      'About {duration} by the time limit. Kinetic needs a couple of weeks of driving to know your pace.',
    overdue:
      'Service overdue: the {limit, select, time {time} distance {distance} other {}} limit passed about {duration} ago. Book a visit to the garage.',
    overdueNow: 'Service due now: book a visit to the garage.',
    unknown: 'Kinetic cannot forecast the next service yet: this car has not reported its service indicator.',
    unknownDate: 'Kinetic needs a couple of weeks of driving to turn the distance left into a date.',
    pace: 'Your pace: {distance} a day',
    reported: 'Indicator reported {ago}',
    addToCalendar: 'Add to calendar',
    addToCalendarLabel: 'Add to calendar: the service of {vehicle} (.ics file)',
    statusOk: 'On track',
    statusOverdue: 'Overdue',
    statusUnknown: 'Unknown',
  },
  duration:
    '{unit, select, day {{count, plural, one {# day} other {# days}}} week {{count, plural, one {# week} other {# weeks}}} month {{count, plural, one {# month} other {# months}}} other {{count, plural, one {# year} other {# years}}}}',
  calendar: {
    summary: 'Service due: {vehicle}',
    description: {
      time: 'Forecast by Kinetic from the car’s service indicator: the time limit comes first.',
      distance:
        'Forecast by Kinetic from the car’s service indicator and your pace: the distance limit comes first.',
    },
  },
};
