// English messages of the `settings` namespace (ICU message syntax, see next-intl).
export const settings = {
  title: 'Settings',
  account: {
    title: 'Account',
    email: 'E-mail',
    name: 'Name',
    noName: '—',
    demoNotice: 'This is the shared demo account: changes to it are reset now and then.',
  },
  cars: {
    title: 'Cars',
    description: 'Connect a car maker account, choose its cars, or disconnect it.',
    link: 'Cars and accounts',
  },
  units: {
    title: 'Units',
    description: 'How speeds, distances and consumption are shown. Exports and the API stay metric.',
    speed: 'Speed and distance',
    fuel: 'Fuel consumption',
    energy: 'Electric consumption',
    speedOptions: { kmh: 'km/h and km', mph: 'mph and miles' },
    fuelOptions: { l100km: 'L/100 km', mpg_us: 'mpg (US gallon)', mpg_uk: 'mpg (UK gallon)', kml: 'km/L' },
    energyOptions: { kwh100km: 'kWh/100 km', mikwh: 'mi/kWh' },
    save: 'Save units',
  },
  timeZone: {
    title: 'Time zone',
    description: 'Dates and times are shown in this zone.',
    label: 'Time zone',
    browserDefault: 'Browser default ({zone})',
    browserUnknown: 'Browser default',
    save: 'Save time zone',
  },
  language: {
    title: 'Language',
    label: 'Language',
    options: { en: 'English', fr: 'Français' },
    save: 'Save language',
  },
  appearance: { title: 'Appearance' },
  sessions: {
    title: 'Where you are signed in',
    thisDevice: '(this device)',
    lastActive: 'last active {when}',
    unknownDevice: 'Unknown device',
    device: '{browser} on {system}',
    browserFallback: 'Browser',
    systemFallback: 'another system',
    signOut: 'Sign out',
    signOutEverywhere: 'Sign out everywhere',
  },
  data: {
    title: 'Your data',
    description:
      'Download everything Kinetic holds about you and your cars: profile, sessions, cars, car accounts (without their keys), measurements, trips, alerts, maintenance and charging.',
    json: 'Download as JSON',
    csv: 'Download as CSV (ZIP)',
    limit: 'Up to 5 downloads an hour. A long history can take a while.',
  },
  delete: {
    title: 'Delete account',
    description:
      'Deletes your account and all your data for good: cars, measurements, trips, alerts and car accounts. Car maker access is revoked. This cannot be undone.',
    demoNotice: 'The shared demo account cannot be deleted.',
    confirmLabel: 'Type your e-mail address or DELETE to confirm',
    submit: 'Delete my account and data',
    deleting: 'Deleting…',
  },
  offline: {
    banner: 'Offline — showing the last known data from {time}.',
  },
  status: {
    saving: 'Saving…',
    saved: 'Saved.',
    failed: 'Not saved: {message}',
  },
};
