// English messages of the `glance` namespace (ICU message syntax, see next-intl).
export const glance = {
  placeholder: 'glance',
};
