import type { ReactNode } from 'react';
import { AppShell } from '@/components/layout/app-shell';
import { QueryProvider } from '@/components/providers/query-provider';
import { Button } from '@/components/ui/button';
import { requireUser } from '@/lib/auth';
import { signOutAction } from './actions';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <QueryProvider>
      <AppShell
        userLabel={user.name ?? user.email}
        signOut={
          <form action={signOutAction}>
            <Button type="submit" variant="secondary" className="w-full">
              Sign out
            </Button>
          </form>
        }
      >
        {children}
      </AppShell>
    </QueryProvider>
  );
}
