import type { EnglishMessages } from '../en';

// Messages français de l’espace `scores` (syntaxe ICU, voir next-intl).
export const scores: EnglishMessages['scores'] = {
  title: 'Score de conduite',
  intro:
    'Comment {vehicle} est conduite : le score de ses trajets et sa place parmi des voitures semblables.',
  group:
    '{powertrain, select, petrol {essence} diesel {diesel} hybrid {hybride} electric {électrique} other {carburant non précisé}} · {segment, select, b {segment B} suvb {SUV B} c {segment C} suvc {SUV C} d {segment D} other {autres modèles}}',
  outOf: 'sur 100',
  band: {
    calm: 'Calme',
    normal: 'Normale',
    dynamic: 'Dynamique',
  },
  week: {
    title: '7 derniers jours',
    trips: '{count, plural, one {# trajet noté} other {# trajets notés}}, {distance}',
    none: 'Aucun trajet noté ces 7 derniers jours.',
  },
  rank: {
    title: 'Classement, 30 derniers jours',
    alone: 'Seul conducteur classé du groupe {group} pour l’instant : le centile viendra avec le suivant.',
    better:
      'Meilleur que {percentile} % des {size, plural, one {# conducteur} other {# conducteurs}} du groupe {group}.',
    notYet:
      'Pas encore classée : Kinetic classe une voiture dès qu’elle a parcouru {km} en {trips} trajets notés sur 30 jours. Pour l’instant : {doneKm} en {doneTrips, plural, one {# trajet} other {# trajets}}.',
    up: 'En hausse de {points, plural, one {# point} other {# points}} depuis la semaine dernière',
    down: 'En baisse de {points, plural, one {# point} other {# points}} depuis la semaine dernière',
    same: 'Comme la semaine dernière',
    peersLoading:
      'Kinetic fait encore venir d’autres conducteurs ({synced} sur {total} pour l’instant) : le classement se stabilise quand ils sont tous là.',
  },
  components: {
    title: 'De quoi le score est fait',
    smoothness: 'Souplesse',
    speed: 'Vitesse',
    engine: 'Régime moteur',
    idling: 'Ralenti',
    anticipation: 'Anticipation',
    consumption: 'Consommation',
    notRated: 'non noté',
  },
  tipTitle: 'Une chose à essayer',
  tips: {
    smoothness:
      'Accélérez et ralentissez plus doucement : regardez plus loin et laissez rouler la voiture avant de freiner. Les démarrages et arrêts brusques coûtent le plus de points.',
    speed:
      'Restez à {speed} ou moins sur l’autoroute : chaque minute au-dessus coûte des points, et du carburant.',
    engine:
      'Passez les rapports plus tôt : gardez le moteur sous {rpm} tr/min, là où il est le plus efficace.',
    idling: 'Coupez le moteur quand vous attendez plus de deux minutes.',
    anticipation:
      'Après une accélération, surveillez la circulation devant vous : freiner fort juste après avoir accéléré gaspille la vitesse que vous venez de payer.',
    consumption:
      'Votre consommation dépasse celle du même modèle à des vitesses semblables : une conduite plus souple la fait baisser.',
    none: 'Rien ne ressort : continuez ainsi.',
  },
  trips: {
    title: 'Derniers trajets',
    empty: 'Aucun trajet noté pour l’instant : un trajet est noté quelques secondes après sa fin.',
    notRated: 'Non noté',
    reason: {
      flagged: 'signalé incomplet par le constructeur',
      too_short: 'trop court pour juger',
      too_sparse: 'trop peu de mesures',
      implausible: 'mesures impossibles',
    },
  },
  trip: {
    title: 'Score',
    moments: 'Les moments qui ont coûté des points',
    kind: {
      harsh_acceleration: 'Accélération brusque',
      harsh_braking: 'Freinage brusque',
      very_high_speed: 'Au-dessus de {speed}',
      hasty_speed_up: 'Accélération, puis freinage appuyé',
      high_engine_speed: 'Moteur au-dessus de {rpm} tr/min',
      long_idling: 'Ralenti prolongé',
    },
    points: '−{points} points',
    showOnChart: 'Voir sur le graphique',
    noMoments: 'Aucun moment n’a coûté un point ou plus à ce trajet.',
    notRated: 'Ce trajet n’est pas noté : {reason}.',
    pending: 'Ce trajet n’est pas encore noté : le score arrive quelques secondes après la fin d’un trajet.',
  },
  methodologyLink: 'Comment le score est calculé',
  maker: {
    title: 'L’évaluation de {brand}',
    scope: {
      month: 'Sur {month}',
      day: 'Le {day}',
      all: 'Sur tous les trajets',
      trip: 'De ce trajet',
    },
    mark: '{mark} / {max}',
    criteria: {
      acceleration: 'Accélérations',
      braking: 'Freinages',
      engineSpeed: 'Régime moteur',
      stopAndStart: 'Stop & Start',
      speed: 'Vitesse',
      slope: 'Pentes',
      coldTrips: 'Départs à froid',
    },
    note: 'Telle que {brand} la donne, sur sa propre échelle. Le score de Kinetic suit ses propres règles publiées : les deux peuvent différer.',
  },
};
