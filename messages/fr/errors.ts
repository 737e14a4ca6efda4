import type { EnglishMessages } from '../en';

// Messages en français de l'espace `errors` (pages d'erreur) ; mêmes clés que l'anglais.
export const errors: EnglishMessages['errors'] = {
  root: {
    title: 'Un problème est survenu',
    text: 'Réessayez dans un instant.',
  },
  dashboard: {
    title: 'Cette page n’a pas pu être chargée',
    text: 'Un problème est survenu de notre côté. Vos données ne risquent rien ; réessayez.',
  },
  global: {
    title: 'Kinetic n’a pas pu se charger',
    text: 'Un problème est survenu de notre côté. Réessayez dans un instant.',
  },
  notFound: {
    title: 'Page introuvable',
    text: 'Il n’y a rien ici, ou ce n’est pas à vous.',
    home: 'Aller à votre vue d’ensemble',
  },
  reference: 'Référence : {digest}',
  retry: 'Réessayer',
};
