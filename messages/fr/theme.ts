import type { EnglishMessages } from '../en';

// Messages en français de l'espace `theme` (choix clair, sombre ou système) ; mêmes clés que l'anglais.
export const theme: EnglishMessages['theme'] = {
  legend: 'Thème',
  light: 'Clair',
  dark: 'Sombre',
  system: 'Système',
};
