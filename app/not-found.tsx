import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClasses } from '@/components/ui/button';

export default async function NotFound() {
  const t = await getTranslations('errors.notFound');
  return (
    <main className="mx-auto flex min-h-[60dvh] max-w-md flex-col items-start justify-center gap-4 px-4">
      <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
      <p className="text-muted">{t('text')}</p>
      <Link href="/" className={buttonClasses('primary')}>
        {t('home')}
      </Link>
    </main>
  );
}
