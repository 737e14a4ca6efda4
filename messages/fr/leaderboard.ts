// Messages français de l’espace `leaderboard` : les classements, y figurer, les groupes privés et les invitations.
export const leaderboard = {
  title: 'Classement',
  intro: 'La place de {vehicle} sur les 30 derniers jours, et qui d’autre a choisi d’y figurer.',
  boards: 'Classements',
  board: {
    peer: 'Groupe de pairs',
    model: 'Modèle',
    everyone: 'Tout le monde',
  },
  titles: {
    model: 'Conducteurs de {brand} {model}',
    everyone: 'Tous les conducteurs Kinetic',
  },
  summary:
    '{ranked, plural, =0 {Aucune voiture classée} one {# voiture classée} other {# voitures classées}} · {participants, plural, =0 {personne n’y figure} one {# y figure} other {# y figurent}}',
  groupSummary:
    '{participants, plural, one {# membre} other {# membres}} · {ranked, plural, =0 {aucun classé} one {# classé} other {# classés}}',
  me: 'Vous : {rank} sur {ranked}, meilleur que {percentile} % d’entre eux.',
  meUnranked:
    'Votre voiture n’est pas encore classée : il lui faut 100 km et 5 trajets notés sur les 30 derniers jours.',
  peersLoading:
    'Kinetic fait encore venir d’autres conducteurs ({synced} sur {total} pour l’instant) : les places bougent jusqu’à ce qu’ils soient tous là.',
  rank: 'Rang',
  driver: 'Conducteur',
  score: 'Score',
  you: 'vous',
  unpublished:
    'Les conducteurs inscrits apparaissent dès qu’au moins {min} ont rejoint ce classement ({participants} pour l’instant), pour que personne ne puisse être repéré.',
  empty: 'Aucun conducteur inscrit n’est encore classé ici.',
  previous: 'Précédent',
  next: 'Suivant',
  ranksNote:
    'Les rangs comptent toutes les voitures classées, inscrites ou non ; les ex æquo partagent la meilleure place.',
  listing: {
    title: 'Votre place dans les classements publics',
    off: 'Votre voiture est classée partout, mais personne ne la voit tant que vous ne vous inscrivez pas : votre pseudonyme et votre score apparaissent alors dans les classements du groupe de pairs, du modèle et de tout le monde. Vous pouvez partir à tout moment, aussitôt.',
    on: 'Inscrit sous le nom {pseudonym} dans les classements du groupe de pairs, du modèle et de tout le monde.',
    join: 'Rejoindre les classements publics',
    leave: 'Quitter les classements publics',
    renew: 'Nouveau pseudonyme',
  },
  groups: {
    title: 'Groupes privés',
    intro:
      'Un groupe pour la famille, les amis ou une entreprise : les membres voient les pseudonymes et scores des autres ; personne d’autre ne voit rien tant que le groupe compte moins de {min} membres.',
    none: 'Cette voiture n’est dans aucun groupe.',
    members: '{members, plural, one {# membre} other {# membres}}',
    as: 'sous le nom {pseudonym}',
    open: 'Voir',
    leave: 'Quitter',
    leaveLabel: 'Quitter le groupe {name}',
    renew: 'Nouveau lien d’invitation',
    renewLabel: 'Créer un nouveau lien d’invitation pour {name}',
    create: 'Créer un groupe',
    name: 'Nom du groupe',
    creating: 'Création…',
    invite:
      'Lien d’invitation — il n’est affiché qu’une fois, copiez-le et envoyez-le aux personnes invitées :',
    renewed: 'Nouveau lien d’invitation pour {name} — l’ancien ne fonctionne plus :',
    nameInvalid: 'Donnez au groupe un nom de 1 à {max} caractères.',
    limit: 'Cette voiture est déjà dans {max} groupes : quittez-en un d’abord.',
    copy: 'Copier',
    copied: 'Copié',
    failed: 'Cela n’a pas fonctionné. Réessayez.',
  },
  share: {
    title: 'Partager ce classement',
    intro:
      'Toute personne ayant le lien voit la première page de ce classement : pseudonymes, rangs et scores sur 30 jours des conducteurs inscrits (aucun en dessous de {min}), jamais un VIN, un lieu, une heure ou une vitesse.',
  },
  shared: {
    title: 'Un classement Kinetic : {board}',
    description: 'Pseudonymes et scores de conduite sur les 30 derniers jours, classés.',
    period: '30 derniers jours · pseudonymes uniquement',
    how: 'Comment le score est calculé',
    own: 'Notez votre propre conduite avec Kinetic',
  },
  join: {
    title: 'Rejoindre {name}',
    intro:
      'Un groupe privé sur Kinetic de {members, plural, one {# membre} other {# membres}}. Les membres voient les pseudonymes et scores sur 30 jours des autres ; vous pouvez partir à tout moment.',
    car: 'Rejoindre avec',
    submit: 'Rejoindre le groupe',
    noCars: 'Associez d’abord une voiture : un groupe classe des voitures.',
    failed: 'Cette invitation ne fonctionne plus, ou la voiture n’est pas la vôtre.',
  },
};
