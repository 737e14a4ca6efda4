import type { EnglishMessages } from '../en';

// Messages en français de l'espace `alerts` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const alerts: EnglishMessages['alerts'] = {
  placeholder: 'alerts',
};
