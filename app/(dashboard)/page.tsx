import { Car } from 'lucide-react';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { listVehicles } from '@/lib/db/queries/vehicles';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  const user = await requireUser();
  const vehicles = await listVehicles(getDb(), user.userId);
  // The overview of a car is the page a phone opens: go straight to the first one.
  const first = vehicles[0];
  if (first) redirect(`/vehicles/${first.id}`);

  return (
    <div className="flex flex-col gap-6">
      <h1 className="font-semibold text-2xl tracking-tight">Welcome{user.name ? `, ${user.name}` : ''}</h1>
      <Card className="flex flex-col items-start gap-3" data-testid="empty-vehicles">
        <Car aria-hidden="true" className="size-8 text-muted" />
        <h2 className="font-semibold text-lg">No cars yet</h2>
        <p className="max-w-prose text-muted text-sm">
          When you connect a car account, your cars appear here with their speed, consumption and engine data,
          maintenance alerts and how your driving compares with others.
        </p>
      </Card>
    </div>
  );
}
