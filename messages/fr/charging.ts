import type { EnglishMessages } from '../en';

// Messages en français de l'espace `charging` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const charging: EnglishMessages['charging'] = {
  placeholder: 'charging',
};
