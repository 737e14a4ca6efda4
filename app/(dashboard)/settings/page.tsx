import type { Metadata } from 'next';
import Link from 'next/link';
import { ThemeSwitcher } from '@/components/theme/theme-switcher';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { listSessions } from '@/lib/db/queries/sessions';
import { signOutAction, signOutEverywhereAction } from '../actions';

export const metadata: Metadata = { title: 'Settings' };

function describeAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Firefox\//.test(userAgent)
    ? 'Firefox'
    : /Edg\//.test(userAgent)
      ? 'Edge'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const device = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : 'another system';
  return `${browser} on ${device}`;
}

export default async function SettingsPage() {
  const user = await requireUser();
  // The demo account is shared: other visitors' devices are none of this visitor's business.
  const sessions = (await listSessions(getDb(), user.userId)).filter(
    (session) => !user.isDemo || session.id === user.sessionId,
  );

  return (
    <div className="flex flex-col gap-6">
      <h1 className="font-semibold text-2xl tracking-tight">Settings</h1>
      <Card className="flex flex-col gap-3">
        <CardTitle>Account</CardTitle>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-muted">E-mail</dt>
          <dd className="break-all" data-testid="account-email">
            {user.email}
          </dd>
          <dt className="text-muted">Name</dt>
          <dd>{user.name ?? '—'}</dd>
        </dl>
        {user.isDemo ? (
          <p className="text-muted text-sm">
            This is the shared demo account: changes to it are reset now and then.
          </p>
        ) : null}
      </Card>
      <Card className="flex flex-col gap-3">
        <CardTitle>Cars</CardTitle>
        <p className="text-muted text-sm">Connect a car maker account, choose its cars, or disconnect it.</p>
        <Link href="/settings/cars" className="text-accent text-sm underline-offset-4 hover:underline">
          Cars and accounts
        </Link>
      </Card>
      <Card className="flex flex-col gap-3">
        <CardTitle>Appearance</CardTitle>
        <ThemeSwitcher />
      </Card>
      <Card className="flex flex-col gap-4">
        <CardTitle>Where you are signed in</CardTitle>
        <ul className="flex flex-col gap-2 text-sm" data-testid="session-list">
          {sessions.map((session) => (
            <li key={session.id} className="flex flex-wrap justify-between gap-2">
              <span>
                {describeAgent(session.user_agent)}
                {session.id === user.sessionId ? <span className="ml-2 text-ok">(this device)</span> : null}
              </span>
              <span className="text-muted">
                last active {new Date(session.last_seen_at).toISOString().slice(0, 16).replace('T', ' ')} UTC
              </span>
            </li>
          ))}
        </ul>
        <div className="flex flex-wrap gap-3">
          <form action={signOutAction}>
            <Button type="submit" variant="secondary">
              Sign out
            </Button>
          </form>
          {user.isDemo ? null : (
            <form action={signOutEverywhereAction}>
              <Button type="submit" variant="danger">
                Sign out everywhere
              </Button>
            </form>
          )}
        </div>
      </Card>
    </div>
  );
}
