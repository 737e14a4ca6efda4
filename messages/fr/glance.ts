import type { EnglishMessages } from '../en';

// Messages en français de l'espace `glance` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const glance: EnglishMessages['glance'] = {
  metaTitle: 'Vue d’ensemble',
  subtitle: '{brand} {model} · {powertrain}',
  powertrain: {
    petrol: 'Essence',
    diesel: 'Diesel',
    hybrid: 'Hybride rechargeable',
    electric: 'Électrique',
  },
  cardsLabel: 'En un coup d’œil',
  freshness: {
    updated: 'mis à jour {ago}',
    stale: 'aucune donnée depuis le {date}',
    notAvailable: '{metric} : non disponible pour ce véhicule',
  },
  metric: {
    fuel: 'Niveau de carburant',
    battery: 'Niveau de batterie',
    range: 'Autonomie',
    odometer: 'Kilométrage',
    location: 'Position',
    activity: 'Données de conduite',
    service: 'Informations d’entretien',
  },
  energy: {
    fuelTitle: 'Carburant',
    bothTitle: 'Carburant et batterie',
    batteryTitle: 'Batterie',
    rangeLabel: 'd’autonomie',
    level: '{value} %',
  },
  odometer: {
    title: 'Compteur',
  },
  location: {
    title: 'Où il se trouve',
    lastSeen: 'Vu pour la dernière fois à {coordinates}',
    coordinates: '{latitude}° {ns}, {longitude}° {ew}',
    north: 'N',
    south: 'S',
    east: 'E',
    west: 'O',
    nearTrip: 'Près de l’arrivée de votre trajet du {date}',
    hidden: 'Position masquée : le véhicule est en mode confidentialité depuis le {date}.',
    hiddenFull:
      'Position et données de conduite masquées : le véhicule est en confidentialité totale depuis le {date}.',
  },
  activity: {
    title: 'En ce moment',
    driving: 'En route',
    speed: 'à {speed}',
    parked: 'Stationné',
    parkedSince: 'depuis {date}',
    unknown: 'Inconnu',
  },
  service: {
    title: 'Prochain entretien',
    inDays: '{days, plural, one {dans # jour} other {dans # jours}}',
    overdueDays: '{days, plural, one {en retard de # jour} other {en retard de # jours}}',
    inDistance: 'ou dans {distance}',
    distanceLeft: '{distance} restants',
    overdueDistance: 'dépassé de {distance}',
    overdue: 'En retard',
    forecastTime: 'À votre rythme : vers le {date}, la date arrive en premier',
    forecastDistance: 'À votre rythme : vers le {date}, le kilométrage arrive en premier',
    unknown: 'Inconnu',
  },
  alerts: {
    title: 'Alertes actives',
    none: 'Aucune alerte active',
    critical: '{count, plural, one {# critique} other {# critiques}}',
    warning: '{count, plural, one {# avertissement} other {# avertissements}}',
    information: '{count, plural, one {# information} other {# informations}}',
    link: 'Voir toutes les alertes',
  },
  score: {
    title: 'Score de la semaine',
    week: '{count, plural, one {sur # trajet noté} other {sur # trajets notés}} ces 7 derniers jours',
    noTrips: 'Aucun trajet noté ces 7 derniers jours.',
    outOf: 'sur 100',
    alone: 'Seul conducteur classé du groupe {group} pour l’instant',
    rank: 'Meilleur que {percentile} % des {size, plural, one {# conducteur} other {# conducteurs}} du groupe {group} sur 30 jours',
    unranked:
      'Classée dès que la voiture a {km} et {trips} trajets notés sur 30 jours (pour l’instant {doneKm}, {doneTrips}).',
    group:
      '{powertrain, select, petrol {essence} diesel {diesel} hybrid {hybride} electric {électrique} other {carburant non précisé}} · {segment, select, b {segment B} suvb {SUV B} c {segment C} suvc {SUV C} d {segment D} other {autres modèles}}',
    details: 'Détails du score',
  },
  silence: {
    title: 'Les données n’arrivent plus',
    since:
      'Rien n’est arrivé de ce véhicule depuis le {date}. Les valeurs ci-dessous peuvent être dépassées.',
    never: 'Rien n’est encore arrivé de ce véhicule.',
  },
  syncStale: {
    title: 'Données anciennes : pas à jour depuis le {date}',
    text: 'Le service du constructeur ne répond pas à Kinetic pour l’instant. Les valeurs ci-dessous sont les dernières reçues, chacune avec son heure.',
    rateLimited:
      'Le constructeur limite le débit de Kinetic : prochaine mise à jour à {time}. Les valeurs ci-dessous sont les dernières reçues, chacune avec son heure.',
  },
  switcher: {
    label: 'Vos véhicules',
  },
};
