import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  LIVE_TELEMETRY_STALE_MS,
  SETTLED_TELEMETRY_STALE_MS,
  telemetryMarksQueryOptions,
  telemetryQueryOptions,
} from '../../api-client/telemetry';

// The telemetry query contracts (lib/api-client/telemetry.ts): keys and URLs carry the same ISO instants whatever form the
// caller gives, and a range reaching into the last hour goes stale in seconds, an older one in
// minutes.

const NOW = Date.UTC(2026, 3, 1, 12);
const HOUR = 3_600_000;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('telemetryQueryOptions', () => {
  it('keys by vehicle, metrics, ISO range and width, and fetches the same query', async () => {
    const fetch = vi.fn(async (_url: string) => new Response('{}', { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const options = telemetryQueryOptions({
      vehicleId: 'car 1',
      metrics: ['speed', 'rpm'],
      from: NOW - HOUR,
      to: '2026-04-01T14:00:00+02:00',
      width: 400,
    });
    expect(options.queryKey).toEqual([
      'telemetry',
      'car 1',
      'series',
      'speed,rpm',
      '2026-04-01T11:00:00.000Z',
      '2026-04-01T12:00:00.000Z',
      400,
    ]);
    await options.queryFn?.({} as never);
    expect(fetch.mock.calls[0]?.[0]).toBe(
      '/api/vehicles/car%201/telemetry?metrics=speed%2Crpm&from=2026-04-01T11%3A00%3A00.000Z&to=2026-04-01T12%3A00%3A00.000Z&width=400',
    );
  });

  it('defaults to the three explorer series', () => {
    const options = telemetryQueryOptions({ vehicleId: 'v', from: 0, to: 1000, width: 10 });
    expect(options.queryKey[3]).toBe('speed,rpm,consumption');
  });

  it('is fresh for seconds when live, for minutes when settled', () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    const live = telemetryQueryOptions({ vehicleId: 'v', from: NOW - 15 * 60_000, to: NOW, width: 400 });
    const edge = telemetryQueryOptions({ vehicleId: 'v', from: NOW - 2 * HOUR, to: NOW - HOUR, width: 400 });
    const settled = telemetryQueryOptions({
      vehicleId: 'v',
      from: NOW - 3 * HOUR,
      to: NOW - HOUR - 1,
      width: 400,
    });
    expect(live.staleTime).toBe(LIVE_TELEMETRY_STALE_MS);
    expect(edge.staleTime).toBe(LIVE_TELEMETRY_STALE_MS);
    expect(settled.staleTime).toBe(SETTLED_TELEMETRY_STALE_MS);
    const marks = telemetryMarksQueryOptions({ vehicleId: 'v', from: NOW - HOUR, to: NOW });
    expect(marks.queryKey).toEqual([
      'telemetry',
      'v',
      'marks',
      '2026-04-01T11:00:00.000Z',
      '2026-04-01T12:00:00.000Z',
    ]);
    expect(marks.staleTime).toBe(LIVE_TELEMETRY_STALE_MS);
  });
});
