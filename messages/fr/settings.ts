import type { EnglishMessages } from '../en';

// Messages en français de l'espace `settings` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const settings: EnglishMessages['settings'] = {
  placeholder: 'settings',
};
