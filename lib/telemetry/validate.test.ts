import { describe, expect, it } from 'vitest';
import { emptyVehicleData, type Sample, type Trip } from './model';
import { validateVehicleData } from './validate';

// Untrusted upstream data: good records pass untouched, bad ones are set aside whole with a
// reason naming the field, and nothing in between is stored.

const source = { provider: 'psa-v4' as const, ref: 'status' };
const at = Date.parse('2026-03-01T08:00:00Z');

function withSamples(...samples: unknown[]) {
  return { ...emptyVehicleData(), samples: samples as Sample[] };
}

describe('validateVehicleData', () => {
  it('keeps valid records as they are', () => {
    const sample: Sample = { at, speedKmh: 87.5, engineRpm: 2100, fuelLevelPct: 41, gear: 5, source };
    const result = validateVehicleData(withSamples(sample));
    expect(result.data.samples).toEqual([sample]);
    expect(result.quarantined).toEqual([]);
  });

  it('quarantines impossible values with the field and the bound', () => {
    const result = validateVehicleData(
      withSamples(
        { at, speedKmh: 912, source },
        { at, fuelLevelPct: -3, source },
        { at, engineRpm: Number.NaN, source },
        { at: 12, speedKmh: 10, source },
      ),
    );
    expect(result.data.samples).toEqual([]);
    expect(result.quarantined.map((entry) => entry.reason.split(':')[0])).toEqual([
      'speedKmh',
      'fuelLevelPct',
      'engineRpm',
      'at',
    ]);
    expect(result.quarantined[0]?.reason).toMatch(/400/);
    expect(result.quarantined.every((entry) => entry.kind === 'samples')).toBe(true);
  });

  it('refuses unknown fields and a missing source instead of storing half a record', () => {
    const result = validateVehicleData(
      withSamples({ at, speedKmh: 50, warpFactor: 9, source }, { at, speedKmh: 50 }),
    );
    expect(result.data.samples).toEqual([]);
    expect(result.quarantined).toHaveLength(2);
  });

  it('checks records as a whole: a trip may not end before it starts', () => {
    const trip: Trip = { providerTripId: 't1', startedAt: at, endedAt: at - 1000, source };
    const result = validateVehicleData({ ...emptyVehicleData(), trips: [trip] });
    expect(result.data.trips).toEqual([]);
    expect(result.quarantined[0]).toMatchObject({
      kind: 'trips',
      reason: expect.stringContaining('endedAt'),
    });
  });

  it('keeps the good records of a batch when some are bad', () => {
    const good: Sample = { at, speedKmh: 30, source };
    const result = validateVehicleData(withSamples(good, { at, speedKmh: -1, source }, good));
    expect(result.data.samples).toEqual([good, good]);
    expect(result.quarantined).toHaveLength(1);
  });
});
