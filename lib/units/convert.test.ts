import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convertAltitude,
  convertDistance,
  convertEnergy,
  convertFuel,
  convertSpeed,
  directionOf,
  formatWithUnit,
  MPG_UK_FACTOR,
  MPG_US_FACTOR,
  seriesDisplay,
} from './convert';
import { METRIC_UNITS, type UnitPreferences } from './preferences';

const IMPERIAL_US: UnitPreferences = { speed: 'mph', fuel: 'mpg_us', energy: 'mikwh' };

describe('factors (hand-computed from the exact definitions)', () => {
  it('mpg US = 378.5411784 / 1.609344 ≈ 235.215 and UK = 454.609 / 1.609344 ≈ 282.481', () => {
    // 378.5411784 / 1.609344 = 235.214583…; 454.609 / 1.609344 = 282.480936…
    expect(MPG_US_FACTOR).toBeCloseTo(235.214583, 5);
    expect(MPG_UK_FACTOR).toBeCloseTo(282.480936, 5);
  });
});

describe('speed and distance', () => {
  it('converts km/h to mph: 100 km/h ≈ 62.137 mph, 1.609344 km/h = 1 mph exactly', () => {
    expect(convertSpeed(100, 'mph').value).toBeCloseTo(62.137119, 5);
    expect(convertSpeed(1.609344, 'mph').value).toBe(1);
    expect(convertSpeed(100, 'mph').label).toBe('mph');
  });

  it('keeps km/h as is and passes nulls through', () => {
    expect(convertSpeed(88, 'kmh')).toEqual({ value: 88, unit: 'kmh', label: 'km/h' });
    expect(convertSpeed(null, 'mph').value).toBeNull();
    expect(convertSpeed(Number.NaN, 'kmh').value).toBeNull();
  });

  it('follows the speed setting for distances and heights', () => {
    expect(convertDistance(42.195, 'mph').value).toBeCloseTo(26.2188, 4); // the marathon
    expect(convertDistance(42.195, 'mph').label).toBe('mi');
    expect(convertDistance(10, 'kmh')).toEqual({ value: 10, unit: 'km', label: 'km' });
    expect(convertAltitude(3.048, 'mph').value).toBeCloseTo(10, 10);
    expect(convertAltitude(3.048, 'mph').label).toBe('ft');
  });
});

describe('fuel', () => {
  it('turns L/100 km into economy: 10 L/100 km ≈ 23.52 mpg US, 28.25 mpg UK, 10 km/L', () => {
    expect(convertFuel(10, 'mpg_us').value).toBeCloseTo(23.5215, 4);
    expect(convertFuel(10, 'mpg_uk').value).toBeCloseTo(28.2481, 4);
    expect(convertFuel(10, 'kml').value).toBe(10);
    expect(convertFuel(5, 'kml').value).toBe(20);
    expect(convertFuel(4.7, 'l100km').value).toBe(4.7);
  });

  it('30 mpg US is 7.84 L/100 km (235.215 / 30), a figure found on US window stickers', () => {
    // Inverse check: the L/100 km that gives 30 mpg US.
    expect(convertFuel(MPG_US_FACTOR / 30, 'mpg_us').value).toBeCloseTo(30, 10);
    expect(MPG_US_FACTOR / 30).toBeCloseTo(7.84, 2);
  });

  it('has no economy for zero, negative or missing consumption (it would be infinite)', () => {
    expect(convertFuel(0, 'mpg_us').value).toBeNull();
    expect(convertFuel(-1, 'kml').value).toBeNull();
    expect(convertFuel(null, 'mpg_uk').value).toBeNull();
    expect(convertFuel(0, 'l100km').value).toBe(0);
  });
});

describe('energy', () => {
  it('20 kWh/100 km ≈ 3.107 mi/kWh (62.1371 / 20); zero has none', () => {
    expect(convertEnergy(20, 'mikwh').value).toBeCloseTo(3.10686, 5);
    expect(convertEnergy(20, 'mikwh').label).toBe('mi/kWh');
    expect(convertEnergy(0, 'mikwh').value).toBeNull();
    expect(convertEnergy(15.5, 'kwh100km').value).toBe(15.5);
  });
});

describe('direction', () => {
  it('says which way is better', () => {
    expect(directionOf('l100km')).toBe('lower_is_better');
    expect(directionOf('kwh100km')).toBe('lower_is_better');
    expect(directionOf('mpg_us')).toBe('higher_is_better');
    expect(directionOf('kml')).toBe('higher_is_better');
    expect(directionOf('mikwh')).toBe('higher_is_better');
    expect(directionOf('kmh')).toBeNull();
  });
});

describe('seriesDisplay (from the API unit strings)', () => {
  it('maps every API unit to the owner display', () => {
    expect(seriesDisplay('km/h', IMPERIAL_US)?.label).toBe('mph');
    expect(seriesDisplay('L/100km', IMPERIAL_US)?.label).toBe('mpg US');
    expect(seriesDisplay('L/100km', IMPERIAL_US)?.direction).toBe('higher_is_better');
    expect(seriesDisplay('kWh/100km', IMPERIAL_US)?.convert(20)).toBeCloseTo(3.10686, 5);
    expect(seriesDisplay('m', IMPERIAL_US)?.label).toBe('ft');
    expect(seriesDisplay('rpm', IMPERIAL_US)?.convert(2500)).toBe(2500);
    expect(seriesDisplay('%', METRIC_UNITS)?.convert(null)).toBeNull();
    expect(seriesDisplay('L/100km', METRIC_UNITS)?.convert(6.2)).toBe(6.2);
    expect(seriesDisplay('furlongs', METRIC_UNITS)).toBeNull();
  });
});

describe('formatWithUnit', () => {
  it('uses the locale decimal separator and the unit precision', () => {
    expect(formatWithUnit(12.345, 'l100km', 'en')).toBe('12.3\u202fL/100 km');
    expect(formatWithUnit(12.345, 'l100km', 'fr')).toBe('12,3\u202fL/100 km');
    expect(formatWithUnit(97.6, 'kmh', 'en')).toBe('98\u202fkm/h');
    expect(formatWithUnit(3.10686, 'mikwh', 'en')).toBe('3.11\u202fmi/kWh');
    expect(formatWithUnit(null, 'kmh', 'en')).toBe('—');
  });
});

describe('properties', () => {
  const positive = fc.double({ min: 0.01, max: 1000, noNaN: true });
  const reciprocalUnits = ['mpg_us', 'mpg_uk', 'kml'] as const;

  it('fuel economy is its own inverse: converting the economy back gives the consumption', () => {
    const factors = { mpg_us: MPG_US_FACTOR, mpg_uk: MPG_UK_FACTOR, kml: 100 };
    fc.assert(
      fc.property(positive, fc.constantFrom(...reciprocalUnits), (l100km, unit) => {
        const economy = convertFuel(l100km, unit).value;
        expect(economy).not.toBeNull();
        // x = K / (K / x)
        expect(factors[unit] / (economy as number)).toBeCloseTo(l100km, 8);
      }),
    );
  });

  it('speed round trip mph → km/h gives the original', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 400, noNaN: true }), (kmh) => {
        const mph = convertSpeed(kmh, 'mph').value as number;
        expect(mph * 1.609344).toBeCloseTo(kmh, 9);
      }),
    );
  });

  it('speed is increasing; economy is decreasing in consumption (more fuel, fewer miles)', () => {
    fc.assert(
      fc.property(positive, positive, fc.constantFrom(...reciprocalUnits), (a, b, unit) => {
        fc.pre(a < b);
        const speedA = convertSpeed(a, 'mph').value as number;
        const speedB = convertSpeed(b, 'mph').value as number;
        const fuelA = convertFuel(a, unit).value as number;
        const fuelB = convertFuel(b, unit).value as number;
        const energyA = convertEnergy(a, 'mikwh').value as number;
        const energyB = convertEnergy(b, 'mikwh').value as number;
        // Never in the wrong direction; two inputs a few ulps apart may round to one output
        // (999.9999999999991 and …92 mph-converted are both 621.3711922373334).
        expect(speedA).toBeLessThanOrEqual(speedB);
        expect(fuelA).toBeGreaterThanOrEqual(fuelB);
        expect(energyA).toBeGreaterThanOrEqual(energyB);
        // Strictly, once the inputs differ by more than rounding can hide.
        if (b > a * (1 + 1e-9)) {
          expect(speedA).toBeLessThan(speedB);
          expect(fuelA).toBeGreaterThan(fuelB);
          expect(energyA).toBeGreaterThan(energyB);
        }
      }),
    );
  });
});
