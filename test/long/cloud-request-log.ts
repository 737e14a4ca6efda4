import type { CloudRequestObserver } from './worker-harness';

// TEST SUPPORT ONLY (long tests): the vehicle cloud's own record of the PSA v4 requests of syncs
// it served — which listener (so which client process) asked, about which car, what, and from when
// to when — and the concurrency it saw per car, counted as requests arrive and finish.

export type CloudRequest = {
  listener: number;
  /** The car's id in the cloud (Kinetic's `provider_vehicle_id`). */
  vehicle: string;
  /** What was asked: `status`, `telemetry`, `trips`, `alerts` or `maintenance`. */
  endpoint: string;
  /** Date.now() when the request arrived. */
  startedAt: number;
  /** Date.now() when the answer was handed over (or the connection closed); null while in flight. */
  endedAt: number | null;
  /** The connection closed before the whole answer was sent. */
  aborted: boolean;
};

/** A moment when one car had requests in flight from two listeners at once. */
export type CrossOverlap = { vehicle: string; listeners: [number, number]; at: number };

const CAR_PATH = /^\/connectedcar\/v4\/user\/vehicles\/([^/?]+)(?:\/([^/?]+))?/;
/**
 * What a sync asks about a car (lib/vehicle-api/psa-v4/provider.ts `sync`). The car's callbacks
 * (monitors) are the callback subscriber's, which has leases of its own.
 */
const SYNC_ENDPOINTS = new Set(['status', 'telemetry', 'trips', 'alerts', 'maintenance']);

/** Logs the requests of syncs; counts the other per-car requests. */
export function createCloudRequestLog() {
  const requests: CloudRequest[] = [];
  let otherCarRequests = 0;
  const overlaps: CrossOverlap[] = [];
  /** Per car, per listener, requests in flight now. */
  const inFlight = new Map<string, Map<number, number>>();
  let maxInFlightPerCar = 0;

  const observe: CloudRequestObserver = (request, response, listener) => {
    const match = CAR_PATH.exec(request.url ?? '');
    if (!match) return;
    if (!SYNC_ENDPOINTS.has(match[2] ?? '')) {
      otherCarRequests++;
      return;
    }
    const vehicle = match[1] as string;
    const entry: CloudRequest = {
      listener,
      vehicle,
      endpoint: match[2] as string,
      startedAt: Date.now(),
      endedAt: null,
      aborted: false,
    };
    requests.push(entry);
    let counts = inFlight.get(vehicle);
    if (!counts) {
      counts = new Map();
      inFlight.set(vehicle, counts);
    }
    for (const [other, count] of counts) {
      if (other !== listener && count > 0)
        overlaps.push({ vehicle, listeners: [other, listener], at: entry.startedAt });
    }
    counts.set(listener, (counts.get(listener) ?? 0) + 1);
    maxInFlightPerCar = Math.max(
      maxInFlightPerCar,
      [...counts.values()].reduce((sum, count) => sum + count, 0),
    );
    const end = (aborted: boolean) => {
      if (entry.endedAt !== null) return;
      entry.endedAt = Date.now();
      entry.aborted = aborted;
      counts.set(listener, (counts.get(listener) ?? 1) - 1);
    };
    response.once('finish', () => end(false));
    response.once('close', () => end(true));
  };

  return {
    observe,
    requests,
    overlaps,
    maxInFlightPerCar: () => maxInFlightPerCar,
    otherCarRequests: () => otherCarRequests,
  };
}

/** One sync as the cloud saw it: a car's `status` request and the requests after it. */
export type CloudSync = {
  vehicle: string;
  listeners: Set<number>;
  startedAt: number;
  endedAt: number;
  requests: number;
};

/**
 * Splits each car's answered requests into syncs: a sync of lib/vehicle-api/psa-v4/provider.ts
 * asks for the car's status first, then the rest one request after another, so each `status`
 * request starts one. Two workers syncing one car at once show up as a sync with two listeners in
 * it, or as syncs of one car whose spans overlap. Requests the client gave up on (a timeout; the
 * HTTP layer asks again) are left out: nobody read their answers.
 */
export function cloudSyncs(requests: readonly CloudRequest[]): {
  syncs: CloudSync[];
  /** Requests of a car before its first status request (none expected). */
  orphans: CloudRequest[];
} {
  const byCar = new Map<string, CloudRequest[]>();
  for (const request of requests) {
    if (request.aborted) continue;
    const list = byCar.get(request.vehicle) ?? [];
    list.push(request);
    byCar.set(request.vehicle, list);
  }
  const syncs: CloudSync[] = [];
  const orphans: CloudRequest[] = [];
  for (const [vehicle, list] of byCar) {
    list.sort((a, b) => a.startedAt - b.startedAt);
    let current: CloudSync | null = null;
    for (const request of list) {
      const endedAt = request.endedAt ?? Number.POSITIVE_INFINITY;
      if (request.endpoint === 'status') {
        current = {
          vehicle,
          listeners: new Set([request.listener]),
          startedAt: request.startedAt,
          endedAt,
          requests: 1,
        };
        syncs.push(current);
      } else if (current) {
        current.listeners.add(request.listener);
        current.endedAt = Math.max(current.endedAt, endedAt);
        current.requests++;
      } else {
        orphans.push(request);
      }
    }
  }
  return { syncs, orphans };
}
