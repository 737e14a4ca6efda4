import { NextIntlClientProvider } from 'next-intl';
import { getMessages } from 'next-intl/server';
import type { ReactNode } from 'react';
import type { EnglishMessages } from '@/messages/en';

type Namespace = keyof EnglishMessages;

/**
 * Hands the given message namespaces to the client leaves below it, and only those: a page
 * ships the few strings its interactive parts need instead of every message of the app.
 */
export async function ClientMessages({
  namespaces,
  children,
}: {
  namespaces: Namespace[];
  children: ReactNode;
}) {
  const all = (await getMessages()) as EnglishMessages;
  const messages = Object.fromEntries(namespaces.map((name) => [name, all[name]]));
  return <NextIntlClientProvider messages={messages}>{children}</NextIntlClientProvider>;
}
