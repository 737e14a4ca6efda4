import { getTimeZone, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { AlertsNavBadge } from '@/components/alerts/alerts-nav-badge';
import { AppShell } from '@/components/layout/app-shell';
import { QueryProvider } from '@/components/providers/query-provider';
import { TimeZoneReporter } from '@/components/settings/time-zone-reporter';
import { Button } from '@/components/ui/button';
import { requireUser } from '@/lib/auth';
import { signOutAction } from './actions';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const [user, renderedZone, t] = await Promise.all([
    requireUser(),
    getTimeZone(),
    getTranslations('common'),
  ]);
  return (
    <QueryProvider>
      <AppShell
        userLabel={user.name ?? user.email}
        badges={{ alerts: <AlertsNavBadge /> }}
        signOut={
          <form action={signOutAction}>
            <Button type="submit" variant="secondary" className="w-full">
              {t('signOut')}
            </Button>
          </form>
        }
      >
        {children}
      </AppShell>
      <TimeZoneReporter storedZone={user.timeZone} renderedZone={renderedZone} />
    </QueryProvider>
  );
}
