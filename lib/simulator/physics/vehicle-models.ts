/**
 * Catalog of simulated models: Stellantis (ex-PSA) cars with plausible published figures, so the
 * physics lands on realistic consumption without per-model fudge factors. Masses include a driver.
 */

export type Powertrain = 'petrol' | 'diesel' | 'hybrid' | 'electric';
export type Brand = 'peugeot' | 'citroen' | 'ds' | 'opel';
export type Segment = 'B' | 'C' | 'D' | 'SUV-B' | 'SUV-C';
export type ConsumptionUnit = 'L/100km' | 'kWh/100km';
export type Transmission = 'manual' | 'automatic' | 'single-speed';

export type VehicleModel = {
  /** kebab-case, e.g. 'peugeot-208-puretech-100' */
  id: string;
  brand: Brand;
  /** Commercial model name, e.g. '208'. */
  name: string;
  variant: string;
  segment: Segment;
  powertrain: Powertrain;
  massKg: number;
  dragCoefficient: number;
  frontalAreaM2: number;
  rollingResistance: number;
  /** Dynamic rolling radius of the driven wheels. */
  wheelRadiusM: number;
  /** Gearbox ratios, first gear first. Electric cars have a single reduction `[1]` (see finalDrive). */
  gearRatios: readonly number[];
  /** Axle ratio; for electric cars the whole motor-to-wheel reduction. */
  finalDrive: number;
  /** Combustion idle speed; 0 for electric cars (the motor stops with the wheels). */
  idleRpm: number;
  /** Engine red line, or the motor's maximum speed for electric cars. */
  redlineRpm: number;
  /** System power (engine + motors for plug-in hybrids). */
  maxPowerKw: number;
  tankLitres: number | null;
  /** Usable traction battery; plug-in hybrids have a small one. */
  batteryKwh: number | null;
  /**
   * WLTP-like combined figure. For plug-in hybrids this is the charge-sustaining figure: the
   * weighted WLTP value (≈1.3 L/100 km) depends on charging habits and says nothing about driving.
   */
  ratedConsumption: { value: number; unit: ConsumptionUnit };
  /** World manufacturer identifier plus model characters: 'VF3' Peugeot, 'VF7' Citroën, 'VR1' DS, 'W0V' Opel. */
  vinPrefix: string;
  /** Swept volume of the combustion engine (drives friction losses in the fuel model). */
  displacementL?: number;
  /** Combustion engine power; defaults to maxPowerKw for petrol and diesel cars. */
  enginePowerKw?: number;
  /** Traction motor power (all motors); defaults to maxPowerKw for electric cars. */
  motorPowerKw?: number;
};

// Gear sets shared by the PSA modular platforms (CMP / EMP2), as overall ratios matter more than
// the exact published decimals: they put 130 km/h at ≈2 750 rpm (petrol 6MT), ≈2 200 (diesel, EAT8).
const MANUAL_5 = [3.42, 1.81, 1.28, 0.98, 0.77] as const;
const MANUAL_6_PETROL = [3.42, 1.95, 1.3, 0.98, 0.76, 0.6] as const;
const MANUAL_6_DIESEL = [3.73, 2.05, 1.32, 0.97, 0.76, 0.62] as const;
const EAT8 = [5.25, 3.03, 1.95, 1.46, 1.22, 1.0, 0.81, 0.67] as const;
const SINGLE_SPEED = [1] as const;

export const VEHICLE_MODELS: readonly VehicleModel[] = [
  {
    id: 'peugeot-208-puretech-100',
    brand: 'peugeot',
    name: '208',
    variant: '1.2 PureTech 100 6-speed manual',
    segment: 'B',
    powertrain: 'petrol',
    massKg: 1170,
    dragCoefficient: 0.29,
    frontalAreaM2: 2.17,
    rollingResistance: 0.0095,
    wheelRadiusM: 0.305,
    gearRatios: MANUAL_6_PETROL,
    finalDrive: 4.05,
    idleRpm: 750,
    redlineRpm: 6000,
    maxPowerKw: 74,
    tankLitres: 44,
    batteryKwh: null,
    ratedConsumption: { value: 5.5, unit: 'L/100km' },
    vinPrefix: 'VF3UPH',
    displacementL: 1.2,
  },
  {
    id: 'peugeot-e-208',
    brand: 'peugeot',
    name: 'e-208',
    variant: '136 ch 50 kWh',
    segment: 'B',
    powertrain: 'electric',
    massKg: 1535,
    dragCoefficient: 0.29,
    frontalAreaM2: 2.17,
    rollingResistance: 0.0085,
    wheelRadiusM: 0.305,
    gearRatios: SINGLE_SPEED,
    finalDrive: 9.6,
    idleRpm: 0,
    redlineRpm: 13000,
    maxPowerKw: 100,
    tankLitres: null,
    batteryKwh: 46.3,
    ratedConsumption: { value: 16.4, unit: 'kWh/100km' },
    vinPrefix: 'VF3UPZ',
    motorPowerKw: 100,
  },
  {
    id: 'peugeot-e-2008',
    brand: 'peugeot',
    name: 'e-2008',
    variant: '136 ch 50 kWh',
    segment: 'SUV-B',
    powertrain: 'electric',
    massKg: 1630,
    dragCoefficient: 0.33,
    frontalAreaM2: 2.38,
    rollingResistance: 0.0085,
    wheelRadiusM: 0.335,
    gearRatios: SINGLE_SPEED,
    finalDrive: 9.6,
    idleRpm: 0,
    redlineRpm: 13000,
    maxPowerKw: 100,
    tankLitres: null,
    batteryKwh: 46.3,
    ratedConsumption: { value: 17.6, unit: 'kWh/100km' },
    vinPrefix: 'VF3USZ',
    motorPowerKw: 100,
  },
  {
    id: 'peugeot-308-bluehdi-130',
    brand: 'peugeot',
    name: '308',
    variant: '1.5 BlueHDi 130 EAT8',
    segment: 'C',
    powertrain: 'diesel',
    massKg: 1475,
    dragCoefficient: 0.28,
    frontalAreaM2: 2.19,
    rollingResistance: 0.009,
    wheelRadiusM: 0.31,
    gearRatios: EAT8,
    finalDrive: 2.92,
    idleRpm: 800,
    redlineRpm: 4750,
    maxPowerKw: 96,
    tankLitres: 52,
    batteryKwh: null,
    ratedConsumption: { value: 4.8, unit: 'L/100km' },
    vinPrefix: 'VF3FPY',
    displacementL: 1.5,
  },
  {
    id: 'peugeot-3008-puretech-130',
    brand: 'peugeot',
    name: '3008',
    variant: '1.2 PureTech 130 EAT8',
    segment: 'SUV-C',
    powertrain: 'petrol',
    massKg: 1500,
    dragCoefficient: 0.31,
    frontalAreaM2: 2.51,
    rollingResistance: 0.0095,
    wheelRadiusM: 0.345,
    gearRatios: EAT8,
    finalDrive: 3.3,
    idleRpm: 750,
    redlineRpm: 6000,
    maxPowerKw: 96,
    tankLitres: 53,
    batteryKwh: null,
    ratedConsumption: { value: 6.6, unit: 'L/100km' },
    vinPrefix: 'VF3MCH',
    displacementL: 1.2,
  },
  {
    id: 'peugeot-3008-hybrid4-300',
    brand: 'peugeot',
    name: '3008',
    variant: 'Hybrid4 300 e-EAT8',
    segment: 'SUV-C',
    powertrain: 'hybrid',
    massKg: 1980,
    dragCoefficient: 0.31,
    frontalAreaM2: 2.51,
    rollingResistance: 0.009,
    wheelRadiusM: 0.345,
    gearRatios: EAT8,
    finalDrive: 3.5,
    idleRpm: 750,
    redlineRpm: 6200,
    maxPowerKw: 221,
    tankLitres: 43,
    batteryKwh: 11.5,
    ratedConsumption: { value: 6.5, unit: 'L/100km' },
    vinPrefix: 'VF3MJA',
    displacementL: 1.6,
    enginePowerKw: 147,
    motorPowerKw: 164,
  },
  {
    id: 'peugeot-508-bluehdi-130',
    brand: 'peugeot',
    name: '508',
    variant: '1.5 BlueHDi 130 EAT8',
    segment: 'D',
    powertrain: 'diesel',
    massKg: 1540,
    dragCoefficient: 0.26,
    frontalAreaM2: 2.2,
    rollingResistance: 0.009,
    wheelRadiusM: 0.325,
    gearRatios: EAT8,
    finalDrive: 2.92,
    idleRpm: 800,
    redlineRpm: 4750,
    maxPowerKw: 96,
    tankLitres: 55,
    batteryKwh: null,
    ratedConsumption: { value: 4.9, unit: 'L/100km' },
    vinPrefix: 'VF3FBY',
    displacementL: 1.5,
  },
  {
    id: 'citroen-c3-puretech-83',
    brand: 'citroen',
    name: 'C3',
    variant: '1.2 PureTech 83 5-speed manual',
    segment: 'B',
    powertrain: 'petrol',
    massKg: 1130,
    dragCoefficient: 0.31,
    frontalAreaM2: 2.22,
    rollingResistance: 0.0095,
    wheelRadiusM: 0.31,
    gearRatios: MANUAL_5,
    finalDrive: 4.29,
    idleRpm: 800,
    redlineRpm: 6000,
    maxPowerKw: 61,
    tankLitres: 45,
    batteryKwh: null,
    ratedConsumption: { value: 5.7, unit: 'L/100km' },
    vinPrefix: 'VF7SXH',
    displacementL: 1.2,
  },
  {
    id: 'citroen-c4-bluehdi-110',
    brand: 'citroen',
    name: 'C4',
    variant: '1.5 BlueHDi 110 6-speed manual',
    segment: 'C',
    powertrain: 'diesel',
    massKg: 1390,
    dragCoefficient: 0.29,
    frontalAreaM2: 2.33,
    rollingResistance: 0.009,
    wheelRadiusM: 0.335,
    gearRatios: MANUAL_6_DIESEL,
    finalDrive: 3.2,
    idleRpm: 800,
    redlineRpm: 4750,
    maxPowerKw: 81,
    tankLitres: 50,
    batteryKwh: null,
    ratedConsumption: { value: 4.6, unit: 'L/100km' },
    vinPrefix: 'VF7CYH',
    displacementL: 1.5,
  },
  {
    id: 'citroen-e-c4',
    brand: 'citroen',
    name: 'ë-C4',
    variant: '136 ch 50 kWh',
    segment: 'C',
    powertrain: 'electric',
    massKg: 1620,
    dragCoefficient: 0.29,
    frontalAreaM2: 2.33,
    rollingResistance: 0.0085,
    wheelRadiusM: 0.335,
    gearRatios: SINGLE_SPEED,
    finalDrive: 9.6,
    idleRpm: 0,
    redlineRpm: 13000,
    maxPowerKw: 100,
    tankLitres: null,
    batteryKwh: 46.3,
    ratedConsumption: { value: 16.8, unit: 'kWh/100km' },
    vinPrefix: 'VF7CZK',
    motorPowerKw: 100,
  },
  {
    id: 'citroen-c5-aircross-puretech-130',
    brand: 'citroen',
    name: 'C5 Aircross',
    variant: '1.2 PureTech 130 6-speed manual',
    segment: 'SUV-C',
    powertrain: 'petrol',
    massKg: 1510,
    dragCoefficient: 0.32,
    frontalAreaM2: 2.55,
    rollingResistance: 0.0095,
    wheelRadiusM: 0.345,
    gearRatios: MANUAL_6_PETROL,
    finalDrive: 3.7,
    idleRpm: 750,
    redlineRpm: 6000,
    maxPowerKw: 96,
    tankLitres: 53,
    batteryKwh: null,
    ratedConsumption: { value: 6.4, unit: 'L/100km' },
    vinPrefix: 'VF7AHH',
    displacementL: 1.2,
  },
  {
    id: 'citroen-c5-aircross-hybrid-225',
    brand: 'citroen',
    name: 'C5 Aircross',
    variant: 'Hybrid 225 ë-EAT8',
    segment: 'SUV-C',
    powertrain: 'hybrid',
    massKg: 1925,
    dragCoefficient: 0.32,
    frontalAreaM2: 2.55,
    rollingResistance: 0.009,
    wheelRadiusM: 0.345,
    gearRatios: EAT8,
    finalDrive: 3.5,
    idleRpm: 750,
    redlineRpm: 6200,
    maxPowerKw: 165,
    tankLitres: 43,
    batteryKwh: 11.5,
    ratedConsumption: { value: 6.1, unit: 'L/100km' },
    vinPrefix: 'VF7AHA',
    displacementL: 1.6,
    enginePowerKw: 133,
    motorPowerKw: 81,
  },
  {
    id: 'ds-3-e-tense',
    brand: 'ds',
    name: 'DS 3',
    variant: 'E-Tense 156 ch 54 kWh',
    segment: 'SUV-B',
    powertrain: 'electric',
    massKg: 1680,
    dragCoefficient: 0.33,
    frontalAreaM2: 2.35,
    rollingResistance: 0.0082,
    wheelRadiusM: 0.335,
    gearRatios: SINGLE_SPEED,
    finalDrive: 9.6,
    idleRpm: 0,
    redlineRpm: 13000,
    maxPowerKw: 115,
    tankLitres: null,
    batteryKwh: 50.8,
    ratedConsumption: { value: 15.8, unit: 'kWh/100km' },
    vinPrefix: 'VR1URZ',
    motorPowerKw: 115,
  },
  {
    id: 'ds-4-puretech-130',
    brand: 'ds',
    name: 'DS 4',
    variant: '1.2 PureTech 130 EAT8',
    segment: 'C',
    powertrain: 'petrol',
    massKg: 1490,
    dragCoefficient: 0.29,
    frontalAreaM2: 2.28,
    rollingResistance: 0.0092,
    wheelRadiusM: 0.345,
    gearRatios: EAT8,
    finalDrive: 3.3,
    idleRpm: 750,
    redlineRpm: 6000,
    maxPowerKw: 96,
    tankLitres: 52,
    batteryKwh: null,
    ratedConsumption: { value: 6.1, unit: 'L/100km' },
    vinPrefix: 'VR1FCH',
    displacementL: 1.2,
  },
  {
    id: 'ds-7-puretech-130',
    brand: 'ds',
    name: 'DS 7',
    variant: '1.2 PureTech 130 EAT8',
    segment: 'SUV-C',
    powertrain: 'petrol',
    massKg: 1530,
    dragCoefficient: 0.32,
    frontalAreaM2: 2.55,
    rollingResistance: 0.0095,
    wheelRadiusM: 0.35,
    gearRatios: EAT8,
    finalDrive: 3.3,
    idleRpm: 750,
    redlineRpm: 6000,
    maxPowerKw: 96,
    tankLitres: 55,
    batteryKwh: null,
    ratedConsumption: { value: 6.5, unit: 'L/100km' },
    vinPrefix: 'VR1J4H',
    displacementL: 1.2,
  },
  {
    id: 'ds-7-e-tense-225',
    brand: 'ds',
    name: 'DS 7',
    variant: 'E-Tense 225 e-EAT8',
    segment: 'SUV-C',
    powertrain: 'hybrid',
    massKg: 1930,
    dragCoefficient: 0.32,
    frontalAreaM2: 2.55,
    rollingResistance: 0.009,
    wheelRadiusM: 0.35,
    gearRatios: EAT8,
    finalDrive: 3.5,
    idleRpm: 750,
    redlineRpm: 6200,
    maxPowerKw: 165,
    tankLitres: 43,
    batteryKwh: 11.5,
    ratedConsumption: { value: 6.2, unit: 'L/100km' },
    vinPrefix: 'VR1J4A',
    displacementL: 1.6,
    enginePowerKw: 133,
    motorPowerKw: 81,
  },
  {
    id: 'opel-corsa-1-2-75',
    brand: 'opel',
    name: 'Corsa',
    variant: '1.2 75 5-speed manual',
    segment: 'B',
    powertrain: 'petrol',
    massKg: 1135,
    dragCoefficient: 0.29,
    frontalAreaM2: 2.15,
    rollingResistance: 0.0095,
    wheelRadiusM: 0.305,
    gearRatios: MANUAL_5,
    finalDrive: 4.29,
    idleRpm: 800,
    redlineRpm: 6000,
    maxPowerKw: 55,
    tankLitres: 44,
    batteryKwh: null,
    ratedConsumption: { value: 5.4, unit: 'L/100km' },
    vinPrefix: 'W0VPFH',
    displacementL: 1.2,
  },
  {
    id: 'opel-corsa-e',
    brand: 'opel',
    name: 'Corsa-e',
    variant: '136 PS 50 kWh',
    segment: 'B',
    powertrain: 'electric',
    massKg: 1610,
    dragCoefficient: 0.29,
    frontalAreaM2: 2.15,
    rollingResistance: 0.0085,
    wheelRadiusM: 0.305,
    gearRatios: SINGLE_SPEED,
    finalDrive: 9.6,
    idleRpm: 0,
    redlineRpm: 13000,
    maxPowerKw: 100,
    tankLitres: null,
    batteryKwh: 46.3,
    ratedConsumption: { value: 16.8, unit: 'kWh/100km' },
    vinPrefix: 'W0VPFZ',
    motorPowerKw: 100,
  },
  {
    id: 'opel-astra-1-5-diesel-130',
    brand: 'opel',
    name: 'Astra',
    variant: '1.5 Diesel 130 AT8',
    segment: 'C',
    powertrain: 'diesel',
    massKg: 1510,
    dragCoefficient: 0.27,
    frontalAreaM2: 2.22,
    rollingResistance: 0.009,
    wheelRadiusM: 0.316,
    gearRatios: EAT8,
    finalDrive: 2.92,
    idleRpm: 800,
    redlineRpm: 4750,
    maxPowerKw: 96,
    tankLitres: 52,
    batteryKwh: null,
    ratedConsumption: { value: 4.8, unit: 'L/100km' },
    vinPrefix: 'W0VFHY',
    displacementL: 1.5,
  },
  {
    id: 'opel-grandland-1-2-turbo-130',
    brand: 'opel',
    name: 'Grandland',
    variant: '1.2 Turbo 130 6-speed manual',
    segment: 'SUV-C',
    powertrain: 'petrol',
    massKg: 1480,
    dragCoefficient: 0.31,
    frontalAreaM2: 2.5,
    rollingResistance: 0.0095,
    wheelRadiusM: 0.345,
    gearRatios: MANUAL_6_PETROL,
    finalDrive: 3.7,
    idleRpm: 750,
    redlineRpm: 6000,
    maxPowerKw: 96,
    tankLitres: 53,
    batteryKwh: null,
    ratedConsumption: { value: 6.3, unit: 'L/100km' },
    vinPrefix: 'W0VZ4H',
    displacementL: 1.2,
  },
  {
    id: 'opel-grandland-hybrid-225',
    brand: 'opel',
    name: 'Grandland',
    variant: 'Hybrid 225 AT8',
    segment: 'SUV-C',
    powertrain: 'hybrid',
    massKg: 1880,
    dragCoefficient: 0.31,
    frontalAreaM2: 2.5,
    rollingResistance: 0.009,
    wheelRadiusM: 0.345,
    gearRatios: EAT8,
    finalDrive: 3.5,
    idleRpm: 750,
    redlineRpm: 6200,
    maxPowerKw: 165,
    tankLitres: 43,
    batteryKwh: 11.5,
    ratedConsumption: { value: 6.0, unit: 'L/100km' },
    vinPrefix: 'W0VZ4A',
    displacementL: 1.6,
    enginePowerKw: 133,
    motorPowerKw: 81,
  },
];

/** The catalog entry with this id, or null. */
export function getVehicleModel(id: string): VehicleModel | null {
  return VEHICLE_MODELS.find((model) => model.id === id) ?? null;
}

export function transmissionOf(model: VehicleModel): Transmission {
  if (model.powertrain === 'electric') return 'single-speed';
  // PSA's EAT8 / e-EAT8 are the only 7+ speed boxes in the catalog; 5–6 speeds are manuals.
  return model.gearRatios.length >= 7 ? 'automatic' : 'manual';
}

export function enginePowerKw(model: VehicleModel): number {
  if (model.powertrain === 'electric') return 0;
  return model.enginePowerKw ?? model.maxPowerKw;
}

export function motorPowerKw(model: VehicleModel): number {
  if (model.powertrain === 'electric') return model.motorPowerKw ?? model.maxPowerKw;
  if (model.powertrain === 'hybrid') return model.motorPowerKw ?? Math.max(0, model.maxPowerKw * 0.4);
  return 0;
}

/** Swept volume; when a catalog entry omits it, assume ≈75 kW per litre (modern turbo engines). */
export function displacementL(model: VehicleModel): number {
  if (model.powertrain === 'electric') return 0;
  return model.displacementL ?? enginePowerKw(model) / 75;
}

/** Whether the car burns fuel at all (petrol, diesel or the hybrid's engine). */
export function hasEngine(model: VehicleModel): boolean {
  return model.powertrain !== 'electric';
}

/** Whether the car carries a traction battery. */
export function hasTractionBattery(model: VehicleModel): boolean {
  return model.powertrain === 'electric' || model.powertrain === 'hybrid';
}
