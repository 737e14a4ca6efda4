// English messages of the `maintenance` namespace (ICU message syntax, see next-intl).
export const maintenance = {
  placeholder: 'maintenance',
};
