import type { EnglishMessages } from '../en';

// Messages français de l’espace `methodology` : la page publique /methodology. Les nombres viennent
// des constantes du code (app/methodology/page.tsx).
export const methodology: EnglishMessages['methodology'] = {
  title: 'Comment Kinetic note la conduite',
  intro:
    'Chaque trajet terminé reçoit un score de 0 à 100, calculé à partir des mesures de la voiture avec les mêmes règles pour tous, quelle que soit la marque ou la source. Cette page énonce chaque formule et chaque seuil en mots simples.',
  readings: {
    heading: 'Des mesures au mouvement',
    body: 'Deux mesures de vitesse espacées de plus de {gapS} s ne sont jamais reliées : rien n’est supposé dans un trou. Une mesure isolée qui dépasse ses deux voisines, vers le haut ou vers le bas, est prise pour une erreur et ignorée. La vitesse est ensuite tracée sur une grille de 10 points par seconde et moyennée sur une demi-seconde ; l’accélération est sa variation. La voiture roule à partir de {movingKmh} km/h.',
  },
  events: {
    heading: 'Événements brusques',
    body: 'Une accélération ou un freinage brusque atteint {harsh} m/s² ou plus (environ 11 km/h par seconde, le niveau des assureurs) pendant au moins {sustainS} s. Il est sévère quand il culmine à {severe} m/s² ou plus. Les événements de même nature à moins d’une minute d’intervalle comptent pour un.',
  },
  components: {
    heading: 'De quoi le score est fait',
    smoothness:
      'Souplesse. {eventsShare} % viennent des événements : 100, moins {perEvent} points par événement brusque aux 100 km (un sévère compte double). {profileShare} % viennent du profil d’accélération : le 95e centile de l’accélération en roulant vaut 100 à {accGood} m/s² ou moins et 0 à {accBad} m/s² ; de même pour la décélération entre {decGood} et {decBad} m/s² ; on fait la moyenne des deux. Des mesures à une par seconde montrent rarement un événement brusque, même en conduite rude ; le profil distingue quand même le calme du brusque.',
    speed:
      'Vitesse. 100, moins {points} points par pourcent du temps de roulage au-dessus de {limitKmh} km/h. Kinetic ne connaît pas la limite de chaque route : c’est la seule règle de vitesse juste partout.',
    engine:
      'Régime moteur. 100, moins {points} points par pourcent du temps moteur au-dessus de {petrolRpm} tr/min (essence, hybride ou carburant non précisé) ou {dieselRpm} tr/min (diesel). Il faut une minute de mesures du régime ; les voitures électriques ne sont pas notées là-dessus.',
    idling:
      'Ralenti. 100, moins {points} points par minute de ralenti par heure de conduite, en ne comptant que ce qui dépasse les {freeMin} premières minutes de chaque arrêt (un feu rouge ne coûte rien). Seulement pour les voitures qui disent si leur moteur tourne ; les voitures électriques ne sont pas notées là-dessus.',
    anticipation:
      'Anticipation. La part des accélérations ({upS} s ou plus à {upMs2} m/s² ou plus) qui ne sont pas suivies, dans les {windowS} s, d’un freinage appuyé ({brakeMs2} m/s² ou moins) : de la vitesse gagnée puis perdue faute d’avoir lu la route.',
    consumption:
      'Consommation. La consommation du trajet comparée à la médiane des trajets du même modèle à une vitesse moyenne semblable (ville, mixte ou route) sur les 90 derniers jours, dès qu’il y en a {minTrips} : 100 à {good} % de la médiane ou moins, 50 à {half} %, 0 à {bad} %.',
  },
  weights: {
    heading: 'Le score',
    body: 'Le score est la moyenne pondérée des composantes qui ont pu être notées : souplesse {smoothness}, vitesse {speed}, régime moteur {engine}, anticipation {anticipation}, ralenti {idling}, consommation {consumption}. Une composante sans données ne compte pas pour 0 : son poids est réparti entre les autres. Un score de {calm} ou plus est calme, sous {dynamic} dynamique.',
  },
  notRated: {
    heading: 'Les trajets non notés',
    body: 'Un trajet de moins de {minKm} km, avec moins de {minMovingMin} minutes de mesures en roulant, ou dont les mesures couvrent moins de la moitié de la durée est trop court ou trop clairsemé pour être jugé : il n’a pas de score plutôt qu’un mauvais. De même pour un trajet aux mesures impossibles (plus de {maxKmh} km/h, ou une accélération au-delà de {maxMs2} m/s²) : une panne de capteur n’est pas de la conduite. Un trajet que le constructeur signale lui-même comme incomplet (jamais démarré, données manquantes, jamais terminé) ne l’est pas non plus.',
  },
  ranking: {
    heading: 'Périodes et classement',
    body: 'Le score d’une semaine ou d’un mois est la moyenne de ses trajets notés pondérée par la distance : un long trajet compte plus qu’une course rapide. Une voiture est classée dès qu’elle a parcouru {minKm} km en {minTrips} trajets notés sur les 30 derniers jours, parmi les voitures classées de son groupe : même motorisation, même segment. Son centile est la part du groupe dont le score est plus bas : plus c’est haut, mieux c’est. Les scores sont comparés au dixième de point ; à égalité, ils partagent la place. L’évolution compare avec une semaine plus tôt.',
  },
  leaderboards: {
    heading: 'Classements',
    body: 'Chaque voiture classée a sa place dans trois classements — son groupe de pairs, son modèle et tout le monde — mais personne ne l’y voit tant que son propriétaire ne s’y inscrit pas, sous un pseudonyme aléatoire qu’il peut changer ; partir retire l’entrée aussitôt. Un classement n’affiche personne tant que moins de {min} de ses voitures classées y sont inscrites, pour que personne ne puisse être repéré. Les groupes privés classent leurs membres entre eux ; les personnes extérieures ne voient les scores d’un groupe qu’à partir de {min} membres. Classements et liens partagés ne portent que pseudonymes, scores entiers et rangs : jamais un nom, un VIN, un lieu, une heure ou une vitesse.',
  },
  explanation: {
    heading: 'Les explications',
    body: 'Chaque événement brusque, passage au-dessus de {limitKmh} km/h, période au-dessus de la plage de régime, long arrêt et accélération hâtive reçoit les points qu’il a coûtés au trajet, et les plus coûteux sont listés avec un lien vers ce moment sur les graphiques. Le conseil nomme la composante qui a coûté le plus de points.',
  },
  limits: {
    heading: 'Ce que le score ne voit pas',
    body: 'Kinetic ne connaît ni les limitations de vitesse, ni la pente, ni la circulation, ni la météo : rien de cela ne compte contre un conducteur au-delà des règles ci-dessus. Une mesure répétée avec une nouvelle heure peut faire paraître une accélération vive plus forte qu’elle n’était. La composante consommation a besoin d’autres voitures du même modèle.',
  },
  back: 'Retour à Kinetic',
};
