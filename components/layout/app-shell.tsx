import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { getThemeLabels } from '@/components/theme/theme-labels';
import { ThemeSwitcher } from '@/components/theme/theme-switcher';
import { Logo } from '@/components/ui/logo';
import { NAV_ITEMS, type NavKey } from './nav-items';
import { NavLinks } from './nav-links';

type AppShellProps = {
  children: ReactNode;
  userLabel: string;
  signOut: ReactNode;
  /** Per-entry extras for the navigation (the alerts badge). */
  badges?: Partial<Record<NavKey, ReactNode>>;
};

export async function AppShell({ children, userLabel, signOut, badges }: AppShellProps) {
  const [t, themeLabels] = await Promise.all([getTranslations('common'), getThemeLabels()]);
  const labels = Object.fromEntries(NAV_ITEMS.map((item) => [item.key, t(`nav.${item.key}`)])) as Record<
    NavKey,
    string
  >;
  return (
    <div className="min-h-dvh md:grid md:grid-cols-[15rem_1fr]">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-surface focus:p-2"
      >
        {t('skipToContent')}
      </a>
      <aside className="hidden border-border border-r bg-surface md:flex md:min-h-dvh md:flex-col md:gap-6 md:p-4">
        <Link href="/" aria-label={t('home')}>
          <Logo />
        </Link>
        <nav aria-label={t('mainNav')} data-testid="sidebar-nav">
          <NavLinks layout="sidebar" labels={labels} badges={badges} />
        </nav>
        <div className="mt-auto flex flex-col gap-3">
          <ThemeSwitcher compact labels={themeLabels} />
          <p className="truncate text-muted text-xs" title={userLabel}>
            {userLabel}
          </p>
          {signOut}
        </div>
      </aside>
      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-10 flex items-center justify-between border-border border-b bg-surface/95 px-4 py-2 backdrop-blur md:hidden">
          <Link href="/" aria-label={t('home')}>
            <Logo />
          </Link>
          <ThemeSwitcher compact labels={themeLabels} />
        </header>
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 pt-4 pb-24 sm:px-6 md:pb-10">
          {children}
        </main>
        <nav
          aria-label={t('mainNav')}
          data-testid="bottom-nav"
          className="fixed inset-x-0 bottom-0 z-20 border-border border-t bg-surface pb-[env(safe-area-inset-bottom)] md:hidden"
        >
          <NavLinks layout="bottom" labels={labels} badges={badges} />
        </nav>
      </div>
    </div>
  );
}
