// English messages of the `telemetry` namespace (ICU message syntax, see next-intl).
export const telemetry = {
  placeholder: 'telemetry',
};
