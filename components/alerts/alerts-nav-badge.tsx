import { NextIntlClientProvider } from 'next-intl';
import { getMessages } from 'next-intl/server';
import type { EnglishMessages } from '@/messages/en';
import { AlertsBadge } from './alerts-badge';

/**
 * The alerts badge as the navigation mounts it (a Server Component): hands the client leaf only
 * the one message it needs, not the whole `alerts` namespace with every alert type's texts.
 */
export async function AlertsNavBadge() {
  const messages = (await getMessages()) as EnglishMessages;
  return (
    <NextIntlClientProvider messages={{ alerts: { badge: messages.alerts.badge } }}>
      <AlertsBadge />
    </NextIntlClientProvider>
  );
}
