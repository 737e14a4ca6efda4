import { describe, expect, it } from 'vitest';
import { isValidVin, makeVin, vinCheckDigit } from './vin';

describe('VINs', () => {
  it('computes the ISO 3779 check digit of a known VIN', () => {
    // A textbook example: 1M8GDM9AXKP042788 has check digit X.
    expect(vinCheckDigit('1M8GDM9AXKP042788')).toBe('X');
    expect(isValidVin('1M8GDM9AXKP042788')).toBe(true);
    expect(isValidVin('1M8GDM9A1KP042788')).toBe(false);
  });

  it('makes valid, distinct 17-character VINs without I, O or Q', () => {
    const vins = new Set<string>();
    for (let serial = 0; serial < 500; serial += 1) {
      const vin = makeVin({ wmi: 'VF3', descriptor: 'e208', modelYear: 2022, plant: 'L', serial });
      expect(vin).toMatch(/^VF3[A-HJ-NPR-Z0-9]{14}$/);
      expect(isValidVin(vin)).toBe(true);
      vins.add(vin);
    }
    expect(vins.size).toBe(500);
  });
});
