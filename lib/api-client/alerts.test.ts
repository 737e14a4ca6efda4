import { MutationObserver, QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertDto, AlertListDto, AlertSummaryDto } from '../schemas/alerts';
import { acknowledgeAlertMutationOptions, alertKeys, alertListUrl, alertsQueryOptions } from './alerts';

// The acknowledge mutation's optimistic contract, run through TanStack Query's own mutation
// lifecycle against a stubbed fetch: marked at once everywhere, rolled back on failure with the
// server's message, and the lists and summary invalidated either way.

const NOW = new Date('2026-03-15T12:00:00.000Z');

const alert = (id: string, overrides: Partial<AlertDto> = {}): AlertDto => ({
  id,
  vehicleId: 'v1',
  vehicleLabel: 'Blue',
  type: 'EngineFault',
  severity: 'critical',
  active: true,
  startedAt: '2026-03-15T11:00:00.000Z',
  endedAt: null,
  position: null,
  acknowledgedAt: null,
  ...overrides,
});

function seeded() {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const active: AlertListDto = {
    alerts: [alert('x'), alert('y', { severity: 'warning' })],
    nextCursor: null,
  };
  const critical: AlertListDto = { alerts: [alert('x')], nextCursor: null };
  const summary: AlertSummaryDto = { active: { critical: 1, warning: 1, information: 0 }, attention: 2 };
  const activeKey = alertsQueryOptions({ state: 'active' }).queryKey;
  const criticalKey = alertsQueryOptions({ state: 'all', severity: 'critical' }).queryKey;
  queryClient.setQueryData(activeKey, active);
  queryClient.setQueryData(criticalKey, critical);
  queryClient.setQueryData(alertKeys.summary(), summary);
  const observer = new MutationObserver(
    queryClient,
    acknowledgeAlertMutationOptions(queryClient, () => NOW),
  );
  return { queryClient, observer, activeKey, criticalKey, active, critical, summary };
}

/** A fetch that answers when told to, recording what it was asked. */
function deferredFetch() {
  let answer: (response: Response) => void = () => {};
  const fetch = vi.fn(
    (_url: string, _init?: RequestInit) =>
      new Promise<Response>((resolve) => {
        answer = resolve;
      }),
  );
  vi.stubGlobal('fetch', fetch);
  return { fetch, answer: (response: Response) => answer(response) };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('acknowledge (optimistic)', () => {
  it('marks the alert in every cached list and takes it off the badge before the server answers', async () => {
    const { queryClient, observer, activeKey, criticalKey } = seeded();
    const server = deferredFetch();
    const done = observer.mutate('x');
    await vi.waitFor(() => expect(server.fetch).toHaveBeenCalledTimes(1));

    expect(server.fetch.mock.calls[0]?.[0]).toBe('/api/alerts/x/acknowledge');
    expect(server.fetch.mock.calls[0]?.[1]?.method).toBe('POST');
    const acknowledgedAt = NOW.toISOString();
    expect(queryClient.getQueryData<AlertListDto>(activeKey)?.alerts.map((a) => a.acknowledgedAt)).toEqual([
      acknowledgedAt,
      null,
    ]);
    expect(queryClient.getQueryData<AlertListDto>(criticalKey)?.alerts[0]?.acknowledgedAt).toBe(
      acknowledgedAt,
    );
    expect(queryClient.getQueryData(alertKeys.summary())).toEqual({
      active: { critical: 0, warning: 1, information: 0 },
      attention: 1,
    });

    server.answer(json(200, { alert: alert('x', { acknowledgedAt: '2026-03-15T12:00:01.000Z' }) }));
    await done;
    // Settled: the lists and the summary will be fetched again, the server having the last word.
    expect(queryClient.getQueryState(activeKey)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(criticalKey)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(alertKeys.summary())?.isInvalidated).toBe(true);
  });

  it("rolls everything back on failure and keeps the server's message", async () => {
    const { queryClient, observer, activeKey, criticalKey, active, critical, summary } = seeded();
    const server = deferredFetch();
    const done = observer.mutate('x').catch((error: unknown) => error);
    await vi.waitFor(() => expect(server.fetch).toHaveBeenCalledTimes(1));
    server.answer(json(404, { error: { code: 'not_found', message: 'No such alert.' } }));
    const error = await done;

    expect(error).toMatchObject({ status: 404, code: 'not_found', message: 'No such alert.' });
    expect(observer.getCurrentResult().error?.message).toBe('No such alert.');
    expect(queryClient.getQueryData(activeKey)).toEqual(active);
    expect(queryClient.getQueryData(criticalKey)).toEqual(critical);
    expect(queryClient.getQueryData(alertKeys.summary())).toEqual(summary);
    expect(queryClient.getQueryState(activeKey)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(alertKeys.summary())?.isInvalidated).toBe(true);
  });

  it('leaves the badge alone for an alert already acknowledged or no longer active', async () => {
    const { queryClient, observer, activeKey, summary } = seeded();
    queryClient.setQueryData<AlertListDto>(activeKey, {
      alerts: [alert('x', { acknowledgedAt: '2026-03-14T00:00:00.000Z' }), alert('y', { active: false })],
      nextCursor: null,
    });
    const server = deferredFetch();
    for (const id of ['x', 'y']) {
      const done = observer.mutate(id);
      await vi.waitFor(() => expect(server.fetch).toHaveBeenCalled());
      expect(queryClient.getQueryData(alertKeys.summary())).toEqual(summary);
      server.answer(json(200, { alert: alert(id) }));
      await done;
      server.fetch.mockClear();
      queryClient.setQueryData(alertKeys.summary(), summary);
    }
    // The first acknowledgement's instant is kept, not replaced by the optimistic one.
    expect(queryClient.getQueryData<AlertListDto>(activeKey)?.alerts[0]?.acknowledgedAt).toBe(
      '2026-03-14T00:00:00.000Z',
    );
  });
});

describe('alert queries', () => {
  it('key lists by their filters, ignoring absent ones', () => {
    expect(alertKeys.list({ state: 'active', severity: undefined })).toEqual([
      'alerts',
      'list',
      { state: 'active' },
    ]);
    expect(alertListUrl({ state: 'history', severity: 'warning', vehicleId: 'a b', limit: 20 })).toBe(
      '/api/alerts?state=history&severity=warning&vehicleId=a+b&limit=20',
    );
    expect(alertListUrl({ state: 'all', cursor: undefined })).toBe('/api/alerts?state=all');
  });
});
