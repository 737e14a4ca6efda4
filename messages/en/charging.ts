// English messages of the `charging` namespace (ICU message syntax, see next-intl).
export const charging = {
  placeholder: 'charging',
};
