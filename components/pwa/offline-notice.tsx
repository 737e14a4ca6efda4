import { getFormatter, getTranslations } from 'next-intl/server';
import { OfflineBanner } from './offline-banner';

/**
 * The offline banner for a page the service worker keeps (the glance): the message is rendered
 * now, with now's time, so a copy replayed offline says how old its data is.
 */
export async function OfflineNotice() {
  const [t, format] = await Promise.all([getTranslations('settings'), getFormatter()]);
  const time = format.dateTime(new Date(), { dateStyle: 'medium', timeStyle: 'short' });
  return <OfflineBanner message={t('offline.banner', { time })} />;
}
