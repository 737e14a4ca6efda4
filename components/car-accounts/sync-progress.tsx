'use client';

import { useQuery } from '@tanstack/react-query';
import { useFormatter, useTranslations } from 'next-intl';
import type { CarAccountDto } from '@/lib/schemas/car-account';

// The first sync, visibly: asks the account's status every 2 s until every car has synced once
// (then every minute), so the owner sees "waiting" turn into "synced" without reloading. Its
// server parent hands it the `cars` messages (ClientMessages): counts change in the browser.

async function fetchAccount(accountId: string): Promise<CarAccountDto> {
  const response = await fetch(`/api/car-accounts/${encodeURIComponent(accountId)}`, {
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`status ${response.status}`);
  const body = (await response.json()) as { carAccount: CarAccountDto };
  return body.carAccount;
}

export function SyncProgress({ initial }: { initial: CarAccountDto }) {
  const t = useTranslations('cars.sync');
  const format = useFormatter();
  const { data } = useQuery({
    queryKey: ['car-account', initial.id],
    queryFn: () => fetchAccount(initial.id),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (query) =>
      query.state.data?.vehicles.every((vehicle) => vehicle.sync === 'synced') ? 60_000 : 2_000,
  });
  const account = data ?? initial;
  const synced = account.vehicles.filter((vehicle) => vehicle.sync === 'synced').length;
  const total = account.vehicles.length;
  if (total === 0) return <p className="text-muted text-sm">{t('none')}</p>;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-1">
        <span id={`sync-label-${account.id}`} className="text-sm">
          {t('progress', { synced, total })}
        </span>
        <progress
          aria-labelledby={`sync-label-${account.id}`}
          className="h-2 w-full accent-accent"
          max={total}
          value={synced}
        />
      </div>
      <ul className="flex flex-col gap-2 text-sm" aria-live="polite" data-testid="sync-progress">
        {account.vehicles.map((vehicle) => (
          <li key={vehicle.id} className="flex flex-wrap justify-between gap-2">
            <span>
              {vehicle.label} <span className="text-muted">({vehicle.vin})</span>
            </span>
            <span
              className={
                vehicle.sync === 'failing'
                  ? 'text-danger'
                  : vehicle.sync === 'synced'
                    ? 'text-ok'
                    : 'text-muted'
              }
            >
              {vehicle.lastSyncedAt
                ? t('lastSynced', {
                    state: t(`state.${vehicle.sync}`),
                    // The owner's time zone (next-intl's request config), not UTC.
                    time: format.dateTime(new Date(vehicle.lastSyncedAt), { timeStyle: 'short' }),
                  })
                : t(`state.${vehicle.sync}`)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
