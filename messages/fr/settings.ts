import type { EnglishMessages } from '../en';

// Messages en français de l'espace `settings` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const settings: EnglishMessages['settings'] = {
  title: 'Réglages',
  account: {
    title: 'Compte',
    email: 'E-mail',
    name: 'Nom',
    noName: '—',
    demoNotice:
      'Ceci est le compte de démonstration partagé : ses modifications sont remises à zéro de temps en temps.',
  },
  cars: {
    title: 'Voitures',
    description: 'Connectez un compte constructeur, choisissez ses voitures ou déconnectez-le.',
    link: 'Voitures et comptes',
  },
  units: {
    title: 'Unités',
    description:
      'Comment sont affichés vitesses, distances et consommations. Les exports et l’API restent en unités métriques.',
    speed: 'Vitesse et distance',
    fuel: 'Consommation de carburant',
    energy: 'Consommation électrique',
    speedOptions: { kmh: 'km/h et km', mph: 'mph et miles' },
    fuelOptions: {
      l100km: 'L/100 km',
      mpg_us: 'mpg (gallon US)',
      mpg_uk: 'mpg (gallon impérial)',
      kml: 'km/L',
    },
    energyOptions: { kwh100km: 'kWh/100 km', mikwh: 'mi/kWh' },
    save: 'Enregistrer les unités',
  },
  timeZone: {
    title: 'Fuseau horaire',
    description: 'Les dates et heures sont affichées dans ce fuseau.',
    label: 'Fuseau horaire',
    browserDefault: 'Celui du navigateur ({zone})',
    browserUnknown: 'Celui du navigateur',
    save: 'Enregistrer le fuseau',
  },
  language: {
    title: 'Langue',
    label: 'Langue',
    options: { en: 'English', fr: 'Français' },
    save: 'Enregistrer la langue',
  },
  appearance: { title: 'Apparence' },
  sessions: {
    title: 'Appareils connectés',
    thisDevice: '(cet appareil)',
    lastActive: 'dernière activité {when}',
    unknownDevice: 'Appareil inconnu',
    device: '{browser} sur {system}',
    browserFallback: 'Navigateur',
    systemFallback: 'un autre système',
    signOut: 'Se déconnecter',
    signOutEverywhere: 'Se déconnecter partout',
  },
  data: {
    title: 'Vos données',
    description:
      'Téléchargez tout ce que Kinetic conserve sur vous et vos voitures : profil, sessions, voitures, comptes constructeur (sans leurs clés), mesures, trajets, alertes, entretien et recharges.',
    json: 'Télécharger en JSON',
    csv: 'Télécharger en CSV (ZIP)',
    limit: 'Jusqu’à 5 téléchargements par heure. Un long historique peut prendre un moment.',
  },
  delete: {
    title: 'Supprimer le compte',
    description:
      'Supprime définitivement votre compte et toutes vos données : voitures, mesures, trajets, alertes et comptes constructeur. L’accès des constructeurs est révoqué. C’est irréversible.',
    demoNotice: 'Le compte de démonstration partagé ne peut pas être supprimé.',
    confirmLabel: 'Saisissez votre adresse e-mail ou DELETE pour confirmer',
    submit: 'Supprimer mon compte et mes données',
    deleting: 'Suppression…',
  },
  offline: {
    banner: 'Hors ligne — affichage des dernières données connues ({time}).',
  },
  status: {
    saving: 'Enregistrement…',
    saved: 'Enregistré.',
    failed: 'Non enregistré : {message}',
  },
};
