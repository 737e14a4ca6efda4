// English messages shared by every page (ICU message syntax, see next-intl).
export const common = {
  signOut: 'Sign out',
  nav: {
    overview: 'Overview',
    telemetry: 'Charts',
    trips: 'Trips',
    alerts: 'Alerts',
    import: 'Import',
    settings: 'Settings',
  },
  freshness: {
    updated: 'updated {ago}',
    never: 'no data yet',
    stale: 'no data since {ago}',
  },
  notAvailable: '{what} not available for this car',
  skipToContent: 'Skip to content',
  home: 'Kinetic home',
  mainNav: 'Main',
  vehicleTabs: {
    label: 'Sections of {vehicle}',
    overview: 'Overview',
    telemetry: 'Charts',
    maintenance: 'Maintenance',
    charging: 'Charging',
    score: 'Score',
    leaderboard: 'Leaderboard',
  },
  loading: 'Loading…',
  retry: 'Try again',
};
