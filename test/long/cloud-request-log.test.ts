import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type CloudRequest, cloudSyncs, createCloudRequestLog } from './cloud-request-log';

// The detectors of the scale-out test must see what they look for: requests of two listeners about
// one car in flight together, and syncs that mix two listeners' requests.

const car = (id: string, endpoint: string) => `/connectedcar/v4/user/vehicles/${id}/${endpoint}?x=1`;

function arrive(log: ReturnType<typeof createCloudRequestLog>, url: string, listener: number) {
  const response = new EventEmitter();
  log.observe({ url } as IncomingMessage, response as ServerResponse, listener);
  return {
    finish: () => {
      response.emit('finish');
      response.emit('close');
    },
    abort: () => response.emit('close'),
  };
}

describe('the cloud request log', () => {
  it('counts requests of two listeners in flight about one car, not one listener’s own', () => {
    const log = createCloudRequestLog();
    const first = arrive(log, car('a', 'status'), 1);
    const same = arrive(log, car('a', 'telemetry'), 1);
    const otherCar = arrive(log, car('b', 'status'), 2);
    expect(log.overlaps).toEqual([]);
    const clash = arrive(log, car('a', 'status'), 2);
    expect(log.overlaps).toMatchObject([{ vehicle: 'a', listeners: [1, 2] }]);
    for (const request of [first, same, otherCar, clash]) request.finish();
    arrive(log, car('a', 'trips'), 2).abort();
    expect(log.maxInFlightPerCar()).toBe(3);
    expect(log.requests.map((request) => [request.vehicle, request.endpoint, request.aborted])).toEqual([
      ['a', 'status', false],
      ['a', 'telemetry', false],
      ['b', 'status', false],
      ['a', 'status', false],
      ['a', 'trips', true],
    ]);
  });

  it('keeps requests that are not a sync’s out of the log', () => {
    const log = createCloudRequestLog();
    arrive(log, car('a', 'callbacks'), 1).finish();
    arrive(log, '/connectedcar/v4/user/vehicles', 1).finish();
    expect(log.requests).toEqual([]);
    expect(log.otherCarRequests()).toBe(1);
  });
});

describe('cloudSyncs', () => {
  const request = (listener: number, endpoint: string, startedAt: number, endedAt: number): CloudRequest => ({
    listener,
    vehicle: 'a',
    endpoint,
    startedAt,
    endedAt,
    aborted: false,
  });

  it('splits a car’s requests into syncs at each status request', () => {
    const { syncs, orphans } = cloudSyncs([
      request(1, 'status', 0, 1),
      request(1, 'telemetry', 1, 5),
      request(2, 'status', 10, 11),
      request(2, 'alerts', 11, 12),
    ]);
    expect(orphans).toEqual([]);
    expect(syncs.map((sync) => [[...sync.listeners], sync.startedAt, sync.endedAt, sync.requests])).toEqual([
      [[1], 0, 5, 2],
      [[2], 10, 12, 2],
    ]);
  });

  it('shows interleaved syncs of two workers as a sync with two listeners', () => {
    const { syncs } = cloudSyncs([
      request(1, 'status', 0, 1),
      request(2, 'status', 2, 3),
      request(1, 'telemetry', 4, 5),
      request(2, 'telemetry', 6, 7),
    ]);
    expect(syncs.map((sync) => [...sync.listeners])).toEqual([[1], [2, 1]]);
  });

  it('leaves out requests given up on, and names requests before any status', () => {
    const aborted = { ...request(1, 'status', 0, 9), aborted: true };
    const { syncs, orphans } = cloudSyncs([aborted, request(1, 'trips', 1, 2), request(1, 'status', 3, 4)]);
    expect(orphans).toMatchObject([{ endpoint: 'trips' }]);
    expect(syncs).toHaveLength(1);
  });
});
