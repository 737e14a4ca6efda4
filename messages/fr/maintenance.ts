import type { EnglishMessages } from '../en';

// Messages en français de l'espace `maintenance` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const maintenance: EnglishMessages['maintenance'] = {
  placeholder: 'maintenance',
};
