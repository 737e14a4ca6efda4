// English messages of the `trips` namespace (ICU message syntax, see next-intl).
export const trips = {
  placeholder: 'trips',
};
