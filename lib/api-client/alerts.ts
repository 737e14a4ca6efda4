import { mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { AlertDto, AlertFilters, AlertListDto, AlertSummaryDto } from '../schemas/alerts';
import { fetchJson, sendJson } from './fetch-json';

// The alerts contract (client-safe): one key family, the list and summary queries, and the
// acknowledge mutation with its optimistic update. Alerts can appear or end at any moment, so the
// lists go stale after 30 s and the badge refreshes itself every two minutes.

export const ALERTS_STALE_TIME_MS = 30_000;
export const ALERTS_SUMMARY_REFETCH_MS = 120_000;

export const alertKeys = {
  all: ['alerts'] as const,
  lists: () => ['alerts', 'list'] as const,
  list: (filters: AlertFilters) => ['alerts', 'list', normaliseFilters(filters)] as const,
  summary: () => ['alerts', 'summary'] as const,
};

/** Filters without undefined members, so equal filters make equal keys. */
function normaliseFilters(filters: AlertFilters): AlertFilters {
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== undefined && value !== ''),
  ) as AlertFilters;
}

export function alertListUrl(filters: AlertFilters): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(normaliseFilters(filters))) params.set(name, String(value));
  const query = params.toString();
  return query ? `/api/alerts?${query}` : '/api/alerts';
}

export function alertsQueryOptions(filters: AlertFilters) {
  return queryOptions({
    queryKey: alertKeys.list(filters),
    queryFn: () => fetchJson<AlertListDto>(alertListUrl(filters)),
    staleTime: ALERTS_STALE_TIME_MS,
  });
}

export function alertsSummaryQueryOptions() {
  return queryOptions({
    queryKey: alertKeys.summary(),
    queryFn: () => fetchJson<AlertSummaryDto>('/api/alerts/summary'),
    staleTime: ALERTS_STALE_TIME_MS,
    refetchInterval: ALERTS_SUMMARY_REFETCH_MS,
  });
}

export type AcknowledgeContext = {
  lists: [readonly unknown[], AlertListDto | undefined][];
  summary: AlertSummaryDto | undefined;
};

/**
 * Acknowledging, optimistically: onMutate marks the alert acknowledged in every cached list and
 * takes it off the badge's count at once; onError puts the snapshots back (the caller shows the
 * error's message, `mutation.error`); onSettled refetches the lists and the summary either way,
 * so the server has the last word.
 */
export function acknowledgeAlertMutationOptions(
  queryClient: QueryClient,
  now: () => Date = () => new Date(),
) {
  return mutationOptions<AlertDto, Error, string, AcknowledgeContext>({
    mutationKey: ['alerts', 'acknowledge'],
    mutationFn: async (alertId) => {
      const answer = await sendJson<{ alert: AlertDto }>(
        `/api/alerts/${encodeURIComponent(alertId)}/acknowledge`,
        'POST',
      );
      return answer.alert;
    },
    onMutate: async (alertId) => {
      // A refetch landing after this would overwrite the optimistic state with the old one.
      await queryClient.cancelQueries({ queryKey: alertKeys.all });
      const lists = queryClient.getQueriesData<AlertListDto>({ queryKey: alertKeys.lists() });
      const summary = queryClient.getQueryData<AlertSummaryDto>(alertKeys.summary());
      const acknowledgedAt = now().toISOString();

      let target: AlertDto | undefined;
      for (const [, data] of lists) target ??= data?.alerts.find((alert) => alert.id === alertId);

      queryClient.setQueriesData<AlertListDto>({ queryKey: alertKeys.lists() }, (data) =>
        data === undefined
          ? data
          : {
              ...data,
              alerts: data.alerts.map((alert) =>
                alert.id === alertId && alert.acknowledgedAt === null ? { ...alert, acknowledgedAt } : alert,
              ),
            },
      );
      if (summary && target?.active && target.acknowledgedAt === null) {
        const active = {
          ...summary.active,
          [target.severity]: Math.max(0, summary.active[target.severity] - 1),
        };
        queryClient.setQueryData<AlertSummaryDto>(alertKeys.summary(), {
          active,
          attention: active.critical + active.warning,
        });
      }
      return { lists, summary };
    },
    onError: (_error, _alertId, context) => {
      if (!context) return;
      for (const [key, data] of context.lists) queryClient.setQueryData(key, data);
      queryClient.setQueryData(alertKeys.summary(), context.summary);
    },
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: alertKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: alertKeys.summary() }),
      ]);
    },
  });
}
