export type NavItem = { href: string; label: string; icon: 'overview' | 'import' | 'settings' };

// Later features (trips, alerts, leaderboards) add their entries here.
export const NAV_ITEMS: NavItem[] = [
  { href: '/', label: 'Overview', icon: 'overview' },
  { href: '/import', label: 'Import', icon: 'import' },
  { href: '/settings', label: 'Settings', icon: 'settings' },
];
