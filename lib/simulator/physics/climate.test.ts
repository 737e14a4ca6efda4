import { describe, expect, it } from 'vitest';
import { climateKw } from './auxiliary-load';
import { typicalOutsideTempC } from './climate';
import { airDensityKgM3 } from './road-load';

describe('typicalOutsideTempC', () => {
  it('follows the seasons and the time of day', () => {
    const january = typicalOutsideTempC(new Date(Date.UTC(2025, 0, 15)), 15 * 60);
    const july = typicalOutsideTempC(new Date(Date.UTC(2025, 6, 15)), 15 * 60);
    expect(january).toBeGreaterThan(0);
    expect(january).toBeLessThan(12);
    expect(july).toBeGreaterThan(18);
    expect(july).toBeLessThan(30);
    expect(typicalOutsideTempC(new Date(Date.UTC(2025, 6, 15)), 4 * 60)).toBeLessThan(july - 5);
  });
});

describe('temperature effects', () => {
  it('makes cold air denser and electric heating costly, A/C costly in the heat', () => {
    expect(airDensityKgM3(-5)).toBeGreaterThan(airDensityKgM3(20) * 1.08);
    expect(climateKw('electric', -5, 1200)).toBeGreaterThan(2);
    expect(climateKw('electric', 18, 1200)).toBe(0);
    // Combustion cars heat the cabin with engine coolant.
    expect(climateKw('petrol', -5, 1200)).toBeLessThan(0.5);
    expect(climateKw('petrol', 32, 0)).toBeGreaterThan(1);
    // The first minutes of heating cost more than the steady state.
    expect(climateKw('electric', 0, 0)).toBeGreaterThan(climateKw('electric', 0, 3600));
  });
});
