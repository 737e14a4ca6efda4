import { describe, expect, it } from 'vitest';
import {
  getVehicleModel,
  hasEngine,
  hasTractionBattery,
  motorPowerKw,
  transmissionOf,
  VEHICLE_MODELS,
} from './vehicle-models';

const WMI = { peugeot: 'VF3', citroen: 'VF7', ds: 'VR1', opel: 'W0V' } as const;

describe('VEHICLE_MODELS', () => {
  it('covers the four brands, the four powertrains and the segments', () => {
    expect(VEHICLE_MODELS.length).toBeGreaterThanOrEqual(14);
    expect(new Set(VEHICLE_MODELS.map((m) => m.brand))).toEqual(
      new Set(['peugeot', 'citroen', 'ds', 'opel']),
    );
    expect(new Set(VEHICLE_MODELS.map((m) => m.powertrain))).toEqual(
      new Set(['petrol', 'diesel', 'hybrid', 'electric']),
    );
    expect(new Set(VEHICLE_MODELS.map((m) => m.segment))).toEqual(new Set(['B', 'C', 'D', 'SUV-B', 'SUV-C']));
  });

  it('has unique kebab-case ids that getVehicleModel finds', () => {
    const ids = VEHICLE_MODELS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(getVehicleModel(id)?.id).toBe(id);
    }
    expect(getVehicleModel('tesla-model-3')).toBeNull();
  });

  it.each(VEHICLE_MODELS.map((m) => [m.id, m] as const))(
    '%s has consistent, plausible figures',
    (_id, model) => {
      expect(model.vinPrefix.startsWith(WMI[model.brand])).toBe(true);
      expect(model.vinPrefix).toMatch(/^[A-HJ-NPR-Z0-9]{4,8}$/);
      expect(model.massKg).toBeGreaterThan(1000);
      expect(model.massKg).toBeLessThan(2200);
      expect(model.dragCoefficient).toBeGreaterThan(0.24);
      expect(model.dragCoefficient).toBeLessThan(0.36);
      expect(model.frontalAreaM2).toBeGreaterThan(2);
      expect(model.frontalAreaM2).toBeLessThan(2.8);
      expect(model.rollingResistance).toBeGreaterThan(0.007);
      expect(model.rollingResistance).toBeLessThan(0.012);
      expect(model.wheelRadiusM).toBeGreaterThan(0.28);
      expect(model.wheelRadiusM).toBeLessThan(0.37);
      // Gears get taller: each ratio below the previous one.
      for (let g = 1; g < model.gearRatios.length; g++) {
        expect(model.gearRatios[g]).toBeLessThan(model.gearRatios[g - 1] as number);
      }
      expect(model.redlineRpm).toBeGreaterThan(model.idleRpm);

      if (model.powertrain === 'electric') {
        expect(model.gearRatios).toEqual([1]);
        expect(transmissionOf(model)).toBe('single-speed');
        expect(model.idleRpm).toBe(0);
        expect(model.tankLitres).toBeNull();
        expect(model.batteryKwh).toBeGreaterThan(30);
        expect(model.ratedConsumption.unit).toBe('kWh/100km');
        expect(model.ratedConsumption.value).toBeGreaterThan(13);
        expect(model.ratedConsumption.value).toBeLessThan(20);
      } else {
        expect(model.gearRatios.length).toBeGreaterThanOrEqual(5);
        expect(model.idleRpm).toBeGreaterThanOrEqual(650);
        expect(model.tankLitres).toBeGreaterThan(35);
        expect(model.ratedConsumption.unit).toBe('L/100km');
        expect(model.ratedConsumption.value).toBeGreaterThan(3.5);
        expect(model.ratedConsumption.value).toBeLessThan(7.5);
      }
      if (model.powertrain === 'hybrid') {
        expect(model.batteryKwh).toBeGreaterThan(8);
        expect(model.batteryKwh).toBeLessThan(20);
        expect(motorPowerKw(model)).toBeGreaterThan(50);
      }
      if (model.powertrain === 'petrol' || model.powertrain === 'diesel') expect(model.batteryKwh).toBeNull();
      expect(hasEngine(model)).toBe(model.powertrain !== 'electric');
      expect(hasTractionBattery(model)).toBe(
        model.powertrain === 'electric' || model.powertrain === 'hybrid',
      );
    },
  );
});
