export type NavKey = 'overview' | 'trips' | 'alerts' | 'import' | 'settings';
export type NavItem = { href: string; key: NavKey };

// The app's sections, in order. Labels come from the `common.nav` messages (translated on the
// server); the alerts entry carries the badge of active alerts.
export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', key: 'overview' },
  { href: '/trips', key: 'trips' },
  { href: '/alerts', key: 'alerts' },
  { href: '/import', key: 'import' },
  { href: '/settings', key: 'settings' },
];
