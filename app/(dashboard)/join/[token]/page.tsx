import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { joinGroupAction } from '@/app/(dashboard)/vehicles/[vehicleId]/leaderboard/actions';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { listVehicles } from '@/lib/db/queries/vehicles';
import { groupByInvite } from '@/lib/leaderboards/groups';

// An invite to a private group, for a signed-in owner (the proxy sends others to the login first):
// the group's name and size, and a choice of car. Opening it changes nothing; joining is the
// form's POST. A malformed, unknown or renewed invite is a 404.

export const metadata: Metadata = { robots: { index: false, follow: false } };

type Props = {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function JoinGroupPage({ params, searchParams }: Props) {
  const [{ token }, search, user, t] = await Promise.all([
    params,
    searchParams,
    requireUser(),
    getTranslations('leaderboard.join'),
  ]);
  const db = getDb();
  const [group, vehicles] = await Promise.all([groupByInvite(db, token), listVehicles(db, user.userId)]);
  if (!group) notFound();
  return (
    <div className="mx-auto flex w-full max-w-md flex-col gap-4">
      <Card className="flex flex-col gap-4" data-testid="join-group">
        <div className="flex flex-col gap-1">
          <h1 className="font-semibold text-xl tracking-tight">{t('title', { name: group.name })}</h1>
          <p className="text-muted text-sm">{t('intro', { members: group.members })}</p>
        </div>
        {search.failed ? (
          <p role="alert" className="text-danger text-sm">
            {t('failed')}
          </p>
        ) : null}
        {vehicles.length === 0 ? (
          <p className="text-sm">
            <Link href="/" className="text-accent underline-offset-4 hover:underline">
              {t('noCars')}
            </Link>
          </p>
        ) : (
          <form action={joinGroupAction} className="flex flex-col gap-3">
            <input type="hidden" name="token" value={token} />
            <label className="flex flex-col gap-1 text-sm">
              {t('car')}
              <select
                name="vehicleId"
                className="min-h-11 rounded-lg border border-border bg-surface px-3 text-fg"
                defaultValue={vehicles[0]?.id}
              >
                {vehicles.map((vehicle) => (
                  <option key={vehicle.id} value={vehicle.id}>
                    {vehicle.label}
                  </option>
                ))}
              </select>
            </label>
            <Button type="submit">{t('submit')}</Button>
          </form>
        )}
      </Card>
    </div>
  );
}
