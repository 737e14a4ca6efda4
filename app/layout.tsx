import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale } from 'next-intl/server';
import type { ReactNode } from 'react';
import { ServiceWorker } from '@/components/pwa/service-worker';
import { publicBaseUrl } from '@/lib/http/public-base';
import { inter } from './fonts';
import { Providers } from './providers';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const base = await publicBaseUrl();
  return {
    title: { default: 'Kinetic', template: '%s · Kinetic' },
    description: 'Your car, your driving, at a glance.',
    applicationName: 'Kinetic',
    icons: { icon: '/icon.svg', apple: '/icons/icon-192.png' },
    // Absolute URLs for preview images (a shared score card's Open Graph image).
    ...(base ? { metadataBase: base } : {}),
  };
}

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  viewportFit: 'cover',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f6f7f9' },
    { media: '(prefers-color-scheme: dark)', color: '#0b1020' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request makes every page dynamic, which the per-request CSP nonce requires.
  const [nonce, locale] = await Promise.all([
    headers().then((h) => h.get('x-nonce') ?? undefined),
    getLocale(),
  ]);
  // Client leaves get only the namespaces they use: the rest stays on the server, off the page weight.
  return (
    <html lang={locale} className={inter.variable} suppressHydrationWarning>
      <body className="min-h-dvh antialiased">
        <NextIntlClientProvider messages={null}>
          <Providers nonce={nonce}>{children}</Providers>
          <ServiceWorker />
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
