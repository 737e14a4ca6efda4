import type { EnglishMessages } from '../en';

// Messages en français de l'espace `cars` (voitures et comptes constructeur) ; mêmes clés que l'anglais.
export const cars: EnglishMessages['cars'] = {
  overview: {
    welcome: 'Bienvenue',
    welcomeName: 'Bienvenue, {name}',
    emptyTitle: 'Pas encore de voiture',
    emptyText:
      'Quand vous connectez un compte constructeur, vos voitures apparaissent ici avec leur vitesse, leur consommation et les données moteur, les alertes d’entretien et la comparaison de votre conduite avec celle des autres.',
  },
  list: {
    title: 'Voitures et comptes',
    disconnected:
      'Déconnecté. Le constructeur a été prié de révoquer l’accès de Kinetic et les jetons sont supprimés.',
    connectTitle: 'Connecter une voiture',
    connectIntro:
      'Connectez-vous avec le compte de l’application de votre constructeur, puis choisissez les voitures que Kinetic peut lire.',
    noMaker: 'Aucun constructeur n’est configuré sur cette installation.',
    v1Summary: 'Connecter avec un VIN et un contrat (API PSA v1)',
    noConnectedCar: 'Pas de voiture connectée ?',
    importLink: 'Importer un journal OBD-II',
    v1Suffix: ' (API v1)',
    status: {
      active: 'Connecté',
      reauthorization_needed: 'Nouvelle connexion nécessaire',
      disconnected: 'Déconnecté',
    },
    rateLimited: '{name} limite le débit de Kinetic : prochaine mise à jour à {time}',
    noCarLinked: 'Aucune voiture liée.',
    signInAgain: 'Se reconnecter à {name}',
    details: 'Détails',
  },
  connectErrors: {
    expired: 'La connexion a pris trop de temps ou a été lancée dans un autre onglet. Recommencez.',
    mismatch: 'La réponse du constructeur ne correspond pas à cette connexion. Recommencez.',
    denied: 'La connexion chez le constructeur a été annulée.',
    refused: 'Le constructeur a refusé la connexion. Réessayez.',
    taken: 'Ce compte constructeur est déjà connecté à un autre compte Kinetic.',
    unavailable: 'Ce constructeur n’est pas disponible sur cette installation.',
    upstream: 'Le service du constructeur n’a pas répondu. Réessayez dans un instant.',
    not_found: 'Introuvable.',
  },
  account: {
    metaTitle: 'Compte constructeur',
    back: '← Voitures et comptes',
    reauthorized: 'Reconnecté : la synchronisation reprend.',
    reauthorizationNeeded:
      '{name} n’accepte plus l’accès de Kinetic (il a expiré ou a été révoqué) : ces voitures ne se synchronisent plus.',
    signInAgain: 'Se reconnecter à {name}',
    syncTitle: 'Voitures et synchronisation',
    chooseCars: 'Choisir les voitures à lier',
    disconnectTitle: 'Déconnecter',
    disconnectText:
      'Kinetic demande à {name} de révoquer son accès et supprime les jetons. Les données restent, sauf si vous cochez la case.',
    demoKeepsCars: 'La démo garde ses voitures : la déconnexion y est désactivée.',
  },
  pick: {
    title: 'Choisissez vos voitures',
    connectedTo: 'Connecté à {name}',
    listFailed: '{name} n’a pas pu lister les voitures pour le moment. Rechargez la page dans un instant.',
    noCars: 'Ce compte {name} ne contient aucune voiture que Kinetic peut lire.',
    legend: 'Voitures de ce compte',
    alreadyLinked: 'déjà liée',
    submit: 'Lier ces voitures',
    pending: 'Liaison…',
  },
  disconnect: {
    deleteData: 'Supprimer aussi tout ce que Kinetic a enregistré pour ces voitures',
    submit: 'Déconnecter {name}',
    pending: 'Déconnexion…',
  },
  v1: {
    brand: 'Marque',
    vin: 'VIN',
    vinHint: '17 caractères, sur la carte grise et en bas du pare-brise.',
    contract: 'Numéro de contrat',
    contractHint: 'Le numéro du contrat de services connectés de la voiture.',
    linked: '{label} est liée. Sa première synchronisation commence dans un instant.',
    submit: 'Lier cette voiture',
    pending: 'Vérification de la voiture…',
  },
  sync: {
    none: 'Aucune voiture n’est encore liée à ce compte.',
    progress:
      'Première synchronisation : {synced} sur {total} {total, plural, one {voiture} other {voitures}}',
    state: {
      waiting: 'En attente de la première synchronisation…',
      synced: 'Synchronisée',
      failing: 'Échec de synchronisation, nouvel essai',
    },
    lastSynced: '{state} · {time}',
  },
  errors: {
    choiceInvalid: 'Ce choix n’est pas valide. Rechargez la page et réessayez.',
    pickOne: 'Choisissez au moins une voiture.',
    accountGone: 'Ce compte n’est plus connecté.',
    makerSilent: 'Le service du constructeur n’a pas répondu. Réessayez dans un instant.',
    requestInvalid: 'Cette demande n’est pas valide. Rechargez la page et réessayez.',
    notFound: 'Introuvable.',
    demoCannotLink: 'Le compte de démonstration partagé ne peut pas lier de voitures.',
    noService: 'Aucun service véhicule n’est configuré sur cette installation.',
  },
  known: {
    brandInvalid: 'Choisissez Peugeot, Citroën ou DS.',
    vinInvalid: 'Un VIN compte 17 lettres et chiffres (sans I, O ni Q).',
    contractMissing: 'Saisissez le numéro de contrat.',
    contractTooLong: 'Un numéro de contrat compte au plus {max} caractères.',
    detailsInvalid: 'Les informations de la voiture ne sont pas valides.',
    tooManyAttempts: 'Trop de tentatives de liaison. Réessayez plus tard.',
    brandUnavailable: 'Les voitures {brand} ne peuvent pas être liées ici.',
    noSuchCar: 'Aucune voiture avec ce VIN et ce contrat',
    serviceBusy: 'Le service véhicule est saturé. Réessayez dans une minute.',
    serviceSilent: 'Le service véhicule ne répond pas. Réessayez plus tard.',
    demoKeepsCars: 'La démo garde ses voitures : la déconnexion y est désactivée.',
    notFound: 'Introuvable.',
  },
};
