import type { EnglishMessages } from '../en';

// Messages en français de l'espace `glance` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const glance: EnglishMessages['glance'] = {
  placeholder: 'glance',
};
