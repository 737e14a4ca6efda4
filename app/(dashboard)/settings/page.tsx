import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { ClientMessages } from '@/components/i18n/client-messages';
import { getThemeLabels } from '@/components/theme/theme-labels';
import { ThemeSwitcher } from '@/components/theme/theme-switcher';
import { Button, buttonClasses } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { listSessions } from '@/lib/db/queries/sessions';
import { isAppLocale } from '@/lib/i18n/locales';
import { getUserPreferences } from '@/lib/settings/preferences';
import { signOutAction, signOutEverywhereAction } from '../actions';
import { DeleteAccountForm } from './_components/delete-account-form';
import { LanguageForm } from './_components/language-form';
import { TimeZoneForm } from './_components/time-zone-form';
import { UnitsForm } from './_components/units-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('settings');
  return { title: t('title') };
}

/** Browser and system names from a User-Agent: proper nouns, the same in every language. */
function describeAgent(userAgent: string): { browser: string | null; system: string | null } {
  const browser = /Firefox\//.test(userAgent)
    ? 'Firefox'
    : /Edg\//.test(userAgent)
      ? 'Edge'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null;
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  return { browser, system };
}

/** Every zone this server's Intl knows, plus UTC and the stored one (some runtimes list neither). */
function timeZoneChoices(stored: string | null): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  if (stored) zones.add(stored);
  return [...zones].sort();
}

export default async function SettingsPage() {
  const user = await requireUser();
  const db = getDb();
  const [allSessions, preferences, t, format, locale, themeLabels] = await Promise.all([
    listSessions(db, user.userId),
    getUserPreferences(db, user.userId),
    getTranslations('settings'),
    getFormatter(),
    getLocale(),
    getThemeLabels(),
  ]);
  // The demo account is shared: other visitors' devices are none of this visitor's business.
  const sessions = allSessions.filter((session) => !user.isDemo || session.id === user.sessionId);
  const deviceName = (userAgent: string | null) => {
    if (!userAgent) return t('sessions.unknownDevice');
    const { browser, system } = describeAgent(userAgent);
    return t('sessions.device', {
      browser: browser ?? t('sessions.browserFallback'),
      system: system ?? t('sessions.systemFallback'),
    });
  };

  // One provider hands the settings strings to every client leaf of the page.
  return (
    <ClientMessages namespaces={['settings']}>
      <div className="flex flex-col gap-6">
        <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
        <Card className="flex flex-col gap-3">
          <CardTitle>{t('account.title')}</CardTitle>
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-muted">{t('account.email')}</dt>
            <dd className="break-all" data-testid="account-email">
              {user.email}
            </dd>
            <dt className="text-muted">{t('account.name')}</dt>
            <dd>{user.name ?? t('account.noName')}</dd>
          </dl>
          {user.isDemo ? <p className="text-muted text-sm">{t('account.demoNotice')}</p> : null}
        </Card>
        <Card className="flex flex-col gap-3">
          <CardTitle>{t('cars.title')}</CardTitle>
          <p className="text-muted text-sm">{t('cars.description')}</p>
          <Link href="/settings/cars" className="text-accent text-sm underline-offset-4 hover:underline">
            {t('cars.link')}
          </Link>
        </Card>
        <Card className="flex flex-col gap-3" aria-labelledby="units-title" data-testid="settings-units">
          <h2 id="units-title" className="font-semibold text-base text-fg">
            {t('units.title')}
          </h2>
          <p className="text-muted text-sm">{t('units.description')}</p>
          <UnitsForm initial={preferences.units} />
        </Card>
        <Card
          className="flex flex-col gap-3"
          aria-labelledby="time-zone-title"
          data-testid="settings-time-zone"
        >
          <h2 id="time-zone-title" className="font-semibold text-base text-fg">
            {t('timeZone.title')}
          </h2>
          <p className="text-muted text-sm">{t('timeZone.description')}</p>
          <TimeZoneForm initial={preferences.timeZone} zones={timeZoneChoices(preferences.timeZone)} />
        </Card>
        <Card
          className="flex flex-col gap-3"
          aria-labelledby="language-title"
          data-testid="settings-language"
        >
          <h2 id="language-title" className="font-semibold text-base text-fg">
            {t('language.title')}
          </h2>
          <LanguageForm current={preferences.locale ?? (isAppLocale(locale) ? locale : 'en')} />
        </Card>
        <Card className="flex flex-col gap-3">
          <CardTitle>{t('appearance.title')}</CardTitle>
          <ThemeSwitcher labels={themeLabels} />
        </Card>
        <Card className="flex flex-col gap-4">
          <CardTitle>{t('sessions.title')}</CardTitle>
          <ul className="flex flex-col gap-2 text-sm" data-testid="session-list">
            {sessions.map((session) => (
              <li key={session.id} className="flex flex-wrap justify-between gap-2">
                <span>
                  {deviceName(session.user_agent)}
                  {session.id === user.sessionId ? (
                    <span className="ml-2 text-ok">{t('sessions.thisDevice')}</span>
                  ) : null}
                </span>
                <span className="text-muted">
                  {t('sessions.lastActive', {
                    when: format.dateTime(new Date(session.last_seen_at), {
                      dateStyle: 'medium',
                      timeStyle: 'short',
                    }),
                  })}
                </span>
              </li>
            ))}
          </ul>
          <div className="flex flex-wrap gap-3">
            <form action={signOutAction}>
              <Button type="submit" variant="secondary">
                {t('sessions.signOut')}
              </Button>
            </form>
            {user.isDemo ? null : (
              <form action={signOutEverywhereAction}>
                <Button type="submit" variant="danger">
                  {t('sessions.signOutEverywhere')}
                </Button>
              </form>
            )}
          </div>
        </Card>
        <Card className="flex flex-col gap-3" aria-labelledby="data-title" data-testid="settings-data">
          <h2 id="data-title" className="font-semibold text-base text-fg">
            {t('data.title')}
          </h2>
          <p className="text-muted text-sm">{t('data.description')}</p>
          <div className="flex flex-wrap gap-3">
            {/* Plain links: the browser downloads the stream itself, with no script and no memory cap. */}
            <a
              href="/api/account/export?format=json"
              download
              className={buttonClasses('secondary')}
              data-testid="export-json"
            >
              {t('data.json')}
            </a>
            <a
              href="/api/account/export?format=csv"
              download
              className={buttonClasses('secondary')}
              data-testid="export-csv"
            >
              {t('data.csv')}
            </a>
          </div>
          <p className="text-muted text-xs">{t('data.limit')}</p>
        </Card>
        <Card
          className="flex flex-col gap-3 border-danger/40"
          aria-labelledby="delete-title"
          data-testid="settings-delete"
        >
          <h2 id="delete-title" className="font-semibold text-base text-danger">
            {t('delete.title')}
          </h2>
          <p className="text-muted text-sm">{t('delete.description')}</p>
          {user.isDemo ? <p className="text-sm">{t('delete.demoNotice')}</p> : null}
          <DeleteAccountForm />
        </Card>
      </div>
    </ClientMessages>
  );
}
