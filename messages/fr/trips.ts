import type { EnglishMessages } from '../en';

// Messages en français de l'espace `trips` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const trips: EnglishMessages['trips'] = {
  placeholder: 'trips',
};
