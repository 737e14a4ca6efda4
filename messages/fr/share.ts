import type { EnglishMessages } from '../en';

// Messages français de l’espace `share` : la carte de score partagée et les liens du propriétaire.
export const share: EnglishMessages['share'] = {
  page: {
    title: 'Le score de conduite de {pseudonym}',
    description: 'Le score sur Kinetic d’un conducteur de {model} sur les 30 derniers jours.',
    heading: '{pseudonym}',
    car: 'conduit une {brand} {model}',
    period: '30 derniers jours',
    noScore: 'Aucun trajet noté ces 30 derniers jours.',
    rank: 'Classé {rank} sur {size} dans le groupe {group}.',
    percentile: 'Meilleur que {percentile} % d’entre eux.',
    unranked: 'Pas encore classé : trop peu de conduite ces 30 derniers jours.',
    components: 'De quoi le score est fait',
    how: 'Comment le score est calculé',
    own: 'Notez votre propre conduite avec Kinetic',
    imageAlt: 'Une carte de score de conduite sur Kinetic',
  },
  owner: {
    title: 'Partager ce score',
    intro:
      'Toute personne qui a le lien voit un pseudonyme, le modèle de cette voiture, son score sur 30 jours avec ses composantes, son rang et son centile — jamais son VIN, où elle va, quand, ni à quelle vitesse.',
    expiry: 'Durée du lien',
    days: '{days, plural, one {# jour} other {# jours}}',
    never: 'Sans expiration',
    create: 'Créer un lien',
    creating: 'Création…',
    created: 'Votre nouveau lien — il n’est affiché que maintenant, copiez-le :',
    copy: 'Copier',
    copied: 'Copié',
    links: 'Vos liens',
    none: 'Aucun lien pour l’instant.',
    status: {
      active: 'Actif',
      expired: 'Expiré',
      revoked: 'Révoqué',
    },
    expires: 'expire le {date}',
    noExpiry: 'n’expire pas',
    revoke: 'Révoquer',
    revokeLabel: 'Révoquer le lien affiché sous le nom {pseudonym}',
    limit: 'Cette voiture a déjà {max} liens actifs : révoquez-en un d’abord.',
    failed: 'Le lien n’a pas pu être créé. Réessayez.',
  },
};
