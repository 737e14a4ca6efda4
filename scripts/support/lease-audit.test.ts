import { describe, expect, it } from 'vitest';
import { type LeaseAuditRow, leaseIntervals } from './lease-audit';

const lease = (vehicle: string, worker: string, at: number): LeaseAuditRow => ({
  vehicle_id: vehicle,
  worker,
  event: 'lease',
  previous_owner: null,
  synced: null,
  atMicros: at,
});
const release = (vehicle: string, worker: string, at: number, synced = true): LeaseAuditRow => ({
  vehicle_id: vehicle,
  worker,
  event: 'release',
  previous_owner: null,
  synced,
  atMicros: at,
});

describe('leaseIntervals', () => {
  it('turns leases given back in turn into intervals, per car and per holder', () => {
    const { intervals, problems } = leaseIntervals([
      lease('car-1', 'w1', 10),
      lease('car-2', 'w2', 11),
      release('car-1', 'w1', 20),
      lease('car-1', 'w2', 21),
      release('car-2', 'w2', 30, false),
      release('car-1', 'w2', 40),
    ]);
    expect(problems).toEqual([]);
    expect(intervals).toEqual([
      { vehicle: 'car-1', worker: 'w1', fromMicros: 10, toMicros: 20, synced: true },
      { vehicle: 'car-2', worker: 'w2', fromMicros: 11, toMicros: 30, synced: false },
      { vehicle: 'car-1', worker: 'w2', fromMicros: 21, toMicros: 40, synced: true },
    ]);
  });

  it('reports a car leased while another worker holds it, a foreign give-back and a lease never given back', () => {
    const { problems } = leaseIntervals([
      lease('car-1', 'w1', 10),
      lease('car-1', 'w2', 12),
      release('car-2', 'w1', 13),
      lease('car-3', 'w1', 14),
    ]);
    expect(problems).toEqual([
      'car-1: leased by w2 while w1 held it',
      'car-2: given back by w1, held by nobody',
      'car-1: still leased by w2',
      'car-3: still leased by w1',
    ]);
  });
});
