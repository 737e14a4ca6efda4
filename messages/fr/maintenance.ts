import type { EnglishMessages } from '../en';

// Messages en français de l'espace `maintenance` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const maintenance: EnglishMessages['maintenance'] = {
  title: 'Entretien',
  intro: 'Quand {vehicle} devra passer en révision, d’après son propre indicateur et votre usage.',
  card: {
    title: 'Prochaine révision',
    timeLeft: 'Temps restant',
    distanceLeft: 'Distance restante',
    notReported: 'Non communiqué',
    days: '{days, plural, one {# jour} other {# jours}}',
    daysOverdue: 'Dépassée de {days, plural, one {# jour} other {# jours}}',
    distanceOverdue: 'Dépassée de {distance}',
    dueAround: 'Prévue vers le {date}',
    forecast:
      'À votre rythme : dans environ {duration}, {limit, select, time {la limite de temps arrivera en premier} distance {la limite de distance arrivera en premier} other {}}.',
    forecastToday:
      'À votre rythme : c’est pour maintenant, {limit, select, time {la limite de temps arrive en premier} distance {la limite de distance arrive en premier} other {}}.',
    timeOnly:
      'Dans environ {duration} selon la limite de temps. Kinetic a besoin de deux semaines de conduite pour connaître votre rythme.',
    overdue:
      'Révision dépassée : la limite de {limit, select, time {temps} distance {distance} other {}} est passée depuis environ {duration}. Prenez rendez-vous au garage.',
    overdueNow: 'Révision à faire maintenant : prenez rendez-vous au garage.',
    unknown:
      'Kinetic ne peut pas encore prévoir la prochaine révision : cette voiture n’a pas communiqué son indicateur d’entretien.',
    unknownDate:
      'Kinetic a besoin de deux semaines de conduite pour transformer la distance restante en date.',
    pace: 'Votre rythme : {distance} par jour',
    reported: 'Indicateur reçu {ago}',
    addToCalendar: 'Ajouter au calendrier',
    addToCalendarLabel: 'Ajouter au calendrier : la révision de {vehicle} (fichier .ics)',
    statusOk: 'Dans les temps',
    statusOverdue: 'Dépassée',
    statusUnknown: 'Inconnue',
  },
  duration:
    '{unit, select, day {{count, plural, one {# jour} other {# jours}}} week {{count, plural, one {# semaine} other {# semaines}}} month {{count, plural, one {# mois} other {# mois}}} other {{count, plural, one {# an} other {# ans}}}}',
  calendar: {
    summary: 'Révision à prévoir : {vehicle}',
    description: {
      time: 'Prévision de Kinetic d’après l’indicateur d’entretien : la limite de temps arrive en premier.',
      distance:
        'Prévision de Kinetic d’après l’indicateur d’entretien et votre rythme : la limite de distance arrive en premier.',
    },
  },
};
