import { describe, expect, it } from 'vitest';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import { V1Error } from '../gateway';
import { readPeriod, startsIn } from './period';
import { MAX_PRICE, readPrice } from './prices';

// The period rule (a trip belongs to the UTC day it started on) and the price parameter, on
// hand-made inputs: the fleet never starts a trip at 23:59, so the HTTP tests cannot reach it.

const url = (query: string) => new URL(`http://sim.test/trip/period/VIN?${query}`);
const trip = (start: string, end: string): TripRecord => ({
  id: 'car-1-0',
  startMs: Date.parse(start),
  endMs: Date.parse(end),
  distanceKm: 12,
  routine: 'errand',
});

describe('v1 trip periods', () => {
  it('spans whole UTC days, both ends included', () => {
    const period = readPeriod(url('from=20260210&to=20260212'));
    expect(new Date(period.fromMs).toISOString()).toBe('2026-02-10T00:00:00.000Z');
    expect(new Date(period.toMs).toISOString()).toBe('2026-02-13T00:00:00.000Z');
    expect(period.limit).toBe(10);
    expect(period.imperial).toBe(false);
    expect(readPeriod(url('from=20260210&to=20260210&limit=3&unit=1'))).toMatchObject({
      limit: 3,
      imperial: true,
    });
  });

  it('counts a trip that starts at 23:59 and ends after midnight on its start day only', () => {
    const late = trip('2026-02-10T23:59:00Z', '2026-02-11T00:21:00Z');
    expect(startsIn(late, readPeriod(url('from=20260210&to=20260210')))).toBe(true);
    expect(startsIn(late, readPeriod(url('from=20260211&to=20260211')))).toBe(false);
    const midnight = trip('2026-02-11T00:00:00Z', '2026-02-11T00:10:00Z');
    expect(startsIn(midnight, readPeriod(url('from=20260210&to=20260210')))).toBe(false);
    expect(startsIn(midnight, readPeriod(url('from=20260211&to=20260211')))).toBe(true);
  });
});

describe('v1 price parameter', () => {
  const price = (text: string) => readPrice(url(`price=${encodeURIComponent(text)}`));

  it('takes positive decimals with a dot, up to the bound', () => {
    expect(price('1.859')).toBe(1.859);
    expect(price('0.0001')).toBe(0.0001);
    expect(price('2')).toBe(2);
    expect(price(String(MAX_PRICE))).toBe(MAX_PRICE);
  });

  it('refuses the rest with 400', () => {
    for (const text of [
      '0',
      '0.00',
      '-1',
      '1,85',
      '.5',
      '5.',
      '1e2',
      ' 1.5',
      '100.01',
      '1.85 EUR',
      'Infinity',
    ]) {
      expect(() => price(text), text).toThrow(V1Error);
      try {
        price(text);
      } catch (error) {
        expect((error as V1Error).status).toBe(400);
      }
    }
    expect(() => readPrice(url(''))).toThrow(V1Error);
    expect(() => readPrice(url('price=1.5&price=1.6'))).toThrow(V1Error);
  });
});
