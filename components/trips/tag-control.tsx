'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { putTripTag, tripDetailQueryOptions, tripKeys } from '@/lib/api-client/trips';
import { cn } from '@/lib/cn';
import type { TripDetailDto, TripTagValue } from '@/lib/schemas/trips';

// Business / private / none, as a radio group. Optimistic: the choice shows at once (the detail
// query's cache is updated before the request), and is rolled back with a message if the server
// refuses. The trip lists are invalidated afterwards (their tag filter and badges change).

const CHOICES = [null, 'business', 'private'] as const;

export function TagControl({ vehicleId, tripId }: { vehicleId: string; tripId: string }) {
  const t = useTranslations('trips');
  const queryClient = useQueryClient();
  const options = tripDetailQueryOptions(vehicleId, tripId);
  const { data } = useQuery(options);
  const [error, setError] = useState<string | null>(null);
  // The choice shows in the same render as the click: TanStack notifies its observers a tick later,
  // and a radio that does not move at once feels broken (and is, to assistive technology).
  const [chosen, setChosen] = useState<TripTagValue | null | undefined>(undefined);
  const mutation = useMutation({
    mutationFn: (tag: TripTagValue | null) => putTripTag(vehicleId, tripId, tag),
    onMutate: async (tag) => {
      setError(null);
      await queryClient.cancelQueries({ queryKey: options.queryKey });
      const previous = queryClient.getQueryData<TripDetailDto>(options.queryKey);
      if (previous)
        queryClient.setQueryData(options.queryKey, { ...previous, trip: { ...previous.trip, tag } });
      return { previous };
    },
    onError: (failure, _tag, context) => {
      if (context?.previous) queryClient.setQueryData(options.queryKey, context.previous);
      setChosen(undefined);
      setError(t('tag.failed', { message: failure.message }));
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: tripKeys.all });
    },
  });
  const current = chosen !== undefined ? chosen : (data?.trip.tag ?? null);
  return (
    <fieldset className="flex flex-col gap-2" data-testid="trip-tag">
      <legend className="mb-1 font-medium text-sm">{t('tag.label')}</legend>
      <div className="flex flex-wrap gap-2">
        {CHOICES.map((choice) => {
          const checked = current === choice;
          const label = choice === null ? t('tag.none') : t(`tags.${choice}`);
          return (
            <label
              key={choice ?? 'none'}
              className={cn(
                'inline-flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border px-4 py-2 text-sm',
                checked
                  ? 'border-accent bg-accent text-accent-fg'
                  : 'border-border bg-surface hover:bg-surface-2',
              )}
            >
              <input
                type="radio"
                name={`tag-${tripId}`}
                value={choice ?? ''}
                checked={checked}
                onChange={() => {
                  setChosen(choice);
                  mutation.mutate(choice);
                }}
                className="size-4 accent-current"
              />
              {label}
            </label>
          );
        })}
      </div>
      <p aria-live="polite" className={cn('text-sm', error ? 'text-danger' : 'text-muted')}>
        {error ?? (mutation.isPending ? t('tag.saving') : mutation.isSuccess ? t('tag.saved') : '')}
      </p>
    </fieldset>
  );
}
