import type { Metadata } from 'next';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { listVehicles } from '@/lib/db/queries/vehicles';
import { MAX_UPLOAD_BYTES } from '@/lib/import/upload';
import { ImportForm, type ImportVehicle } from './_components/import-form';

export const metadata: Metadata = { title: 'Import a log' };

// Kept plain on purpose (issue 5): the dashboard issue restyles it. The page reads the owner's
// cars on the server; only the form, which needs XMLHttpRequest's upload progress, is a client leaf.
export default async function ImportPage() {
  const user = await requireUser();
  const vehicles: ImportVehicle[] = (await listVehicles(getDb(), user.userId)).map((row) => ({
    id: row.id,
    label: row.label,
    description: [row.brand, row.model].filter((part) => part && part !== 'unknown').join(' '),
  }));

  return (
    <div className="flex flex-col gap-6">
      <h1 className="font-semibold text-2xl tracking-tight">Import an OBD-II log</h1>
      <Card className="flex flex-col gap-4">
        <CardTitle>Upload a file</CardTitle>
        <p className="max-w-prose text-muted text-sm">
          A CSV export from Torque Pro or another OBD-II app, or any CSV whose header names its columns (up to{' '}
          {Math.round(MAX_UPLOAD_BYTES / 2 ** 20)} MB). Rows that cannot be read are skipped and listed;
          importing the same file again changes nothing.
        </p>
        <ImportForm vehicles={vehicles} maxBytes={MAX_UPLOAD_BYTES} />
      </Card>
    </div>
  );
}
