// English messages of the `theme` namespace: the light/dark/system switcher (ICU message syntax).
export const theme = {
  legend: 'Theme',
  light: 'Light',
  dark: 'Dark',
  system: 'System',
};
