// English messages of the `settings` namespace (ICU message syntax, see next-intl).
export const settings = {
  placeholder: 'settings',
};
