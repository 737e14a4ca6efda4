// English messages of the `alerts` namespace (ICU message syntax, see next-intl).
export const alerts = {
  placeholder: 'alerts',
};
