import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ClientMessages } from '@/components/i18n/client-messages';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { listVehicles } from '@/lib/db/queries/vehicles';
import { MAX_UPLOAD_BYTES } from '@/lib/import/upload';
import { ImportForm, type ImportVehicle } from './_components/import-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('imports');
  return { title: t('metaTitle') };
}

// Kept plain on purpose (issue 5): the dashboard issue restyles it. The page reads the owner's
// cars on the server; only the form, which needs XMLHttpRequest's upload progress, is a client leaf.
export default async function ImportPage() {
  const [user, t] = await Promise.all([requireUser(), getTranslations('imports')]);
  const vehicles: ImportVehicle[] = (await listVehicles(getDb(), user.userId)).map((row) => ({
    id: row.id,
    label: row.label,
    description: [row.brand, row.model].filter((part) => part && part !== 'unknown').join(' '),
  }));

  return (
    <div className="flex flex-col gap-6">
      <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
      <Card className="flex flex-col gap-4">
        <CardTitle>{t('uploadTitle')}</CardTitle>
        <p className="max-w-prose text-muted text-sm">
          {t('intro', { mb: Math.round(MAX_UPLOAD_BYTES / 2 ** 20) })}
        </p>
        {/* The form reports progress and results in the browser: it needs the page's strings. */}
        <ClientMessages namespaces={['imports']}>
          <ImportForm vehicles={vehicles} maxBytes={MAX_UPLOAD_BYTES} />
        </ClientMessages>
      </Card>
    </div>
  );
}
