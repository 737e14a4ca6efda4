'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Check } from 'lucide-react';
import { useFormatter } from 'next-intl';
import { Button } from '@/components/ui/button';
import { acknowledgeAlertMutationOptions, alertsQueryOptions } from '@/lib/api-client/alerts';
import type { AlertFilters } from '@/lib/schemas/alerts';

type AcknowledgeButtonProps = {
  alertId: string;
  /** The filters of the list this alert was rendered in (its hydrated query). */
  filters: AlertFilters;
  initialAcknowledgedAt: string | null;
  labels: {
    acknowledge: string;
    acknowledging: string;
    acknowledged: string;
    failed: string;
    accessible: string;
  };
};

/**
 * The one interactive part of an alert: Acknowledge, optimistically. It reads the alert's state
 * from the list query the page hydrated, so the optimistic update, its rollback and the refetch
 * after it all show here without a reload.
 */
export function AcknowledgeButton({
  alertId,
  filters,
  initialAcknowledgedAt,
  labels,
}: AcknowledgeButtonProps) {
  const queryClient = useQueryClient();
  const format = useFormatter();
  const { data } = useQuery({
    ...alertsQueryOptions(filters),
    select: (list) => list.alerts.find((alert) => alert.id === alertId)?.acknowledgedAt ?? null,
  });
  const acknowledgedAt = data === undefined ? initialAcknowledgedAt : data;
  const mutation = useMutation(acknowledgeAlertMutationOptions(queryClient));

  if (acknowledgedAt !== null) {
    return (
      <p
        className="inline-flex min-h-11 items-center gap-2 text-muted text-sm"
        data-testid="alert-acknowledged"
      >
        <Check aria-hidden="true" className="size-4 text-ok" />
        <span>
          {labels.acknowledged}{' '}
          <time dateTime={acknowledgedAt}>
            {format.dateTime(new Date(acknowledgedAt), { dateStyle: 'medium', timeStyle: 'short' })}
          </time>
        </span>
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-1">
      <Button
        variant="secondary"
        aria-label={labels.accessible}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate(alertId)}
        className="self-start"
      >
        {mutation.isPending ? labels.acknowledging : labels.acknowledge}
      </Button>
      {mutation.isError && (
        <p role="alert" className="text-danger text-sm">
          {labels.failed} {mutation.error.message}
        </p>
      )}
    </div>
  );
}
