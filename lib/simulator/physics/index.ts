/**
 * Vehicle physics for the simulated vehicle cloud, pure and deterministic:
 *
 *   seed ─ deriveSeed(fleet, vehicle, day) ─ createRng
 *   driver: DrivingStyle → styleParameters, driverHabits → planDay → trips of RoutePhase[]
 *   trip:   generateSpeedProfile (1 Hz speeds) → simulateDrive (gear, rpm, power, fuel/energy,
 *           levels, odometer) → summarizeTrace (consumption, harsh events, idling, rpm band)
 *
 * Data is generated on demand, one trip at a time; nothing here precomputes a fleet.
 */
export { BASE_ELECTRICAL_KW, climateKw } from './auxiliary-load';
export { typicalOutsideTempC } from './climate';
export { createDrivingStyle, type DrivingStyle, type StyleParameters, styleParameters } from './driver-style';
export { electricBatteryKw } from './electric-drive';
export {
  availableEnginePowerKw,
  coolantAfterParkC,
  DIESEL_KWH_PER_L,
  type EngineSpec,
  engineFuelRateLph,
  engineSpec,
  fuelKwhPerLitre,
  PETROL_KWH_PER_L,
} from './engine-map';
export { kinematicRpm, overallRatio, wheelRpm } from './gearbox';
export {
  type DriveEnvironment,
  type DriveTrace,
  ENGINE_ENGAGED,
  ENGINE_IDLE,
  ENGINE_OFF,
  ENGINE_SLIP,
  simulateDrive,
} from './powertrain';
export { createRng, deriveSeed, type Rng } from './random';
export { airDensityKgM3, wheelPowerKw } from './road-load';
export {
  type DriverHabits,
  driverHabits,
  type PlannedTrip,
  planDay,
  type RoutineKind,
  routinePhases,
} from './routines';
export {
  generateSpeedProfile,
  type RouteKind,
  type RoutePhase,
  type SpeedProfile,
  type SpeedProfileOptions,
  speedProfileOptionsFor,
} from './speed-profile';
export {
  type DriveSummary,
  EFFICIENT_RPM_DIESEL,
  EFFICIENT_RPM_PETROL,
  HARSH_ACCELERATION_MS2,
  HARSH_BRAKING_MS2,
  LONG_IDLE_S,
  SPEEDING_MARGIN_KMH,
  summarizeTrace,
} from './trace-summary';
export {
  type Brand,
  type ConsumptionUnit,
  getVehicleModel,
  hasEngine,
  hasTractionBattery,
  motorPowerKw,
  type Powertrain,
  type Segment,
  type Transmission,
  transmissionOf,
  VEHICLE_MODELS,
  type VehicleModel,
} from './vehicle-models';
