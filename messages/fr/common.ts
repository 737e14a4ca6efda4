import type { EnglishMessages } from '../en';

// Messages communs à toutes les pages (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const common: EnglishMessages['common'] = {
  signOut: 'Se déconnecter',
  nav: {
    overview: 'Aperçu',
    telemetry: 'Graphiques',
    trips: 'Trajets',
    alerts: 'Alertes',
    import: 'Importer',
    settings: 'Réglages',
  },
  freshness: {
    updated: 'mis à jour {ago}',
    never: 'pas encore de données',
    stale: 'aucune donnée depuis {ago}',
  },
  notAvailable: '{what} : non disponible pour cette voiture',
  skipToContent: 'Aller au contenu',
  home: 'Accueil Kinetic',
  mainNav: 'Principale',
  vehicleTabs: {
    label: 'Rubriques de {vehicle}',
    overview: 'Aperçu',
    telemetry: 'Graphiques',
    maintenance: 'Entretien',
    charging: 'Recharge',
    score: 'Score',
    leaderboard: 'Classement',
  },
  loading: 'Chargement…',
  retry: 'Réessayer',
};
