import type { EnglishMessages } from '../en';

// Messages en français de l'espace `auth` (connexion, inscription) ; mêmes clés que l'anglais.
export const auth: EnglishMessages['auth'] = {
  login: {
    metaTitle: 'Connexion',
    title: 'Connexion',
    tagline: 'Votre voiture, vos trajets et votre conduite, d’un coup d’œil.',
    failed: 'La connexion a échoué. Réessayez.',
    makerIntro: 'Ou connectez-vous avec le compte de votre constructeur :',
    demoIntro: 'Pas de compte ? Découvrez Kinetic avec un propriétaire de démonstration et deux Peugeot.',
    newHere: 'Nouveau sur Kinetic ?',
    createAccount: 'Créer un compte',
  },
  signup: {
    metaTitle: 'Créer un compte',
    title: 'Créez votre compte',
    tagline: 'Connectez ensuite votre voiture pour voir ses données ici.',
    haveAccount: 'Vous avez déjà un compte ?',
    signIn: 'Se connecter',
  },
  form: {
    email: 'E-mail',
    password: 'Mot de passe',
    name: 'Nom (facultatif)',
    passwordHint:
      'De {min} à {max} caractères. Quelques mots sans rapport entre eux font un mot de passe solide.',
    signIn: 'Se connecter',
    signingIn: 'Connexion…',
    createAccount: 'Créer le compte',
    creating: 'Création de votre compte…',
  },
  demo: {
    button: 'Essayer la démo',
    opening: 'Ouverture de la démo…',
  },
  errors: {
    wrongCredentials: 'Cet e-mail et ce mot de passe ne correspondent à aucun compte.',
    throttled: 'Trop de tentatives. Attendez une minute, puis réessayez.',
    emailTaken: 'Un compte utilise déjà cette adresse e-mail. Connectez-vous plutôt.',
    signUpThrottled: 'Trop d’inscriptions depuis ce réseau. Réessayez plus tard.',
  },
  validation: {
    emailMissing: 'Saisissez votre adresse e-mail.',
    emailTooLong: 'Cette adresse e-mail est trop longue.',
    emailInvalid: 'Saisissez une adresse e-mail valide.',
    emailSimulated: 'Cette adresse est réservée aux conducteurs simulés.',
    emailMaker: 'Cette adresse est réservée aux comptes connectés avec un constructeur.',
    passwordMissing: 'Saisissez un mot de passe.',
    passwordCommon: 'Ce mot de passe fait partie des plus courants : choisissez-en un autre.',
    tooShort: 'Utilisez au moins {min} caractères.',
    tooLong: 'Utilisez au plus {max} caractères.',
  },
};
