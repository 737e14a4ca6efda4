import type { EnglishMessages } from '../en';

// Messages en français de l'espace `telemetry` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const telemetry: EnglishMessages['telemetry'] = {
  placeholder: 'telemetry',
};
