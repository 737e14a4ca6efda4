import type { alerts as englishAlerts } from '@/messages/en/alerts';

// What Kinetic knows about each alert type, client-safe so pages and client leaves share it. The
// texts live in the `alerts` messages (`types.<name>.title|advice`, English and French); this module
// says which message a stored type uses, and the severity Kinetic assumes when a provider sends
// none. Stored types are PSA v4's AlertMsgEnum names (4.17, PascalCase), older 4.0 names (camelCase)
// that some responses still carry, Kinetic's own `data_stopped`, or something newer that nobody
// knows yet — which gets a generic title built from its name rather than disappearing.

export type AlertSeverity = 'information' | 'warning' | 'critical';

/** Most severe first: the order of the groups on the alerts page. */
export const SEVERITY_ORDER: readonly AlertSeverity[] = ['critical', 'warning', 'information'];

/** Kinetic's own alert: the car has been silent beyond its expected cadence (lib/alerts/silence.ts). */
export const DATA_STOPPED_TYPE = 'data_stopped';

/** A type that has its own title and advice in the `alerts.types` messages. */
export type CataloguedAlertType = keyof typeof englishAlerts.types;

/**
 * 4.0 names with a 4.17 equivalent share its texts. (4.0 names without one have their own entry in
 * the messages; the high-speed door variants map to the plain "door open" types, which PSA uses
 * for a door open while driving, next to the `…LowSpeed` ones.)
 */
const LEGACY_ALIASES: Readonly<Record<string, CataloguedAlertType>> = {
  alertOilPressure: 'EngineOilPressureFailure',
  alertCoolantTemp: 'EngineTemperatureFailure',
  chargingSystemFault: 'BatteryChargeOrElectricalCircuitSystemFailure',
  alertBrakeFluid: 'BrakingSystemFailure',
  steeringFault: 'PowerSteeringFault',
  alertCoolantLevel: 'CoolantLevellow',
  laneDepartureWarningSystemFault: 'LaneDepartureWarningSystemFault',
  frontLeftDoorOpenHighSpeed: 'LeftFrontDoorOpen',
  frontRightDoorOpenHighSpeed: 'RightFrontDoorOpen',
  rearLeftDoorOpenHighSpeed: 'LeftRearDoorOpen',
  rearRightDoorOpenHighSpeed: 'RightRearDoorOpen',
  trunkOpenHighSpeed: 'TrunkOrHoodOpen',
  trunkWindowOpen: 'RearWindowOpen',
  espFault: 'EspAsrSystemFault',
  batteryLevelFault: 'BatteryChargeOrElectricalCircuitSystemFailure',
  waterInGasoil: 'WaterInTheDieselFuelFilter',
  padWearFault: 'ReplaceBrakePads',
  fuelLevelAlarm: 'FuelLevelLow',
  airbagOrSeatbeltFault: 'AirbagOrSeatBeltPretensionerOrActiveHoodFailure',
  engineFault: 'EngineFault',
  absFault: 'AbsBrakingSystemFault',
  riskOfParticleFilterBlockage: 'ParticleFilterFull',
  particleFilterAdditiveTooLow: 'ParticleFilterAdditiveLevelTooLow',
  suspensionFault: 'SuspensionFault',
  preaheatingDeactivatedBatteryTooLow: 'PreheatingPreventilationDeactivatedBatteryLow',
  preaheatingDeactivatedFuelLevelTooLow: 'PreheatingPreventilationDeactivatedFuelLevelLow',
  retractableRoofMechanismFault: 'RetractableRoofMechanismFault',
  alertSteeringLock: 'SteeringLockFault',
  electronicImmobiliserFault: 'ElectronicImmobiliserFault',
  roofOperationImpossibleTemperatureTooHigh: 'RoofOperationNotPossibleTooHighTemp',
  automaticHeadlampFault: 'AutomaticHeadlightAdjustmentFault',
  washerLevelAlarm: 'AddWasherFluid',
  batteryKeyAlarm: 'ReplaceTheRemoteControlBattery',
  preaheatingDeactivatedSetTheClock: 'PreheatingPreventilationDeactivatedClockUnset',
  trailerConnectionFault: 'TrailerConnectionFault',
  underInflationTyreFault: 'TireUnderInflationDetectionSystemFault',
  limitedVisibilityAidsCamera: 'DrivingAssistanceSensorBlind',
  checkRightBrakeLamp: 'RightBrakeLampFault',
  checkLeftBrakeLamp: 'LeftBrakeLampFault',
  parkingAssistanceFault: 'ParkAssistSystemFault',
  antipollutionFault: 'EmissionSystemOrAdBlueQualityFailure',
  placeGearBoxToP: 'ShiftToPark',
  riskOfIce: 'RiskOfIce',
  frontRightDoorOpen: 'RightFrontDoorOpen',
  frontLeftDoorOpen: 'LeftFrontDoorOpen',
  rearRightDoorOpen: 'RightRearDoorOpen',
  rearLeftDoorOpen: 'LeftRearDoorOpen',
  trunkOpen: 'TrunkOrHoodOpen',
  bootOpen: 'TrunkOrHoodOpen',
  rearScreenOpen: 'RearWindowOpen',
  parkingBreakFault: 'ParkingBrakeOrHillStartSystemFailure',
  activeSpoilerFault: 'ActiveSpoilerFault',
  automaticBreakingSystemFault: 'CollisionMitigationSystemFault',
  automaticGearboxFault: 'GearboxFault',
  suspensionFaultLimitTo90km: 'SuspensionFaultLimitSpeed',
  frontLeftTyreNotMonitored: 'LeftFrontTirePressurSensorFault',
  frontRightTyreNotMonitored: 'RightFrontTirePressurSensorFault',
  rearRightTyreNotMonitored: 'RightRearTirePressurSensorFault',
  rearLeftTyreNotMonitored: 'LeftRearTirePressurSensorFault',
  powerSteeringFault: 'PowerSteeringFault',
  laneDepartureFault: 'LaneDepartureWarningSystemFault',
  spareWheelFittedDrivingAidsDeactivated: 'InstalledSpareWheelFault',
  automaticBreakingDeactived: 'AutomaticBrakingDeactivated',
};

/**
 * Severity by type when the provider gives none, from the spec's meanings (vehicle-apis.md §5.7):
 * critical = do not drive on without repair, information = deal with it when convenient, warning
 * otherwise (the reasoning per group is in lib/vehicle-api/psa-v1/alert-severity.ts, whose v1
 * alerts — which carry no severity — take it from here). Client-safe, so the dashboard uses it too.
 */
const CRITICAL: ReadonlySet<string> = new Set<CataloguedAlertType>([
  'AirbagOrSeatBeltPretensionerOrActiveHoodFailure',
  'BatteryChargeOrElectricalCircuitSystemFailure',
  'BrakingSystemFailure',
  'ElectricTractionSystemFailureStopVehicle',
  'EngineFailure',
  'EngineOilPressureFailure',
  'EngineTemperatureFailure',
  'PowerSteeringFailure',
  'ParkingBrakeOrHillStartSystemFailure',
  'LeftFrontTirePuncture',
  'RightFrontTirePuncture',
  'LeftRearTirePuncture',
  'RightRearTirePuncture',
  'AdBlueFaultStartingImpossible',
  'EmissionSystemOrAdBlueQualityFailueStartingImpossible',
  'SuspensionFaultRepaireVehicle',
  'hybridSystemFaultRepairedTheVehicle',
]);

const INFORMATION: ReadonlySet<string> = new Set<CataloguedAlertType>([
  'AddWasherFluid',
  'AutomaticBrakingDeactivated',
  'LeftFrontDoorOpen',
  'LeftRearDoorOpen',
  'RightFrontDoorOpen',
  'RightRearDoorOpen',
  'TrunkOrHoodOpen',
  'RearWindowOpen',
  'ParticleFilterRegenerating',
  'PreheatingPreventilationDeactivatedBatteryLow',
  'PreheatingPreventilationDeactivatedClockUnset',
  'PreheatingPreventilationDeactivatedFuelLevelLow',
  'ReplaceTheRemoteControlBattery',
  'RiskOfIce',
  'RoofOperationNotPossibleSpeedUnknown',
  'RoofOperationNotPossibleTooHighTemp',
  'ShiftToPark',
  'TooManyRoofOperation',
  'roofOperationImpossibleStartEngine',
  'roofOperationImpossibleApplyParkingBreak',
]);

/** The catalogue entry a stored type uses: itself, its 4.17 equivalent, or null when unknown. */
export function catalogueTypeOf(
  type: string,
  types: Readonly<Record<string, unknown>>,
): CataloguedAlertType | null {
  if (Object.hasOwn(types, type)) return type as CataloguedAlertType;
  const alias = LEGACY_ALIASES[type];
  return alias !== undefined && Object.hasOwn(types, alias) ? alias : null;
}

/** The severity to assume for a type when the provider sent none. */
export function defaultSeverityOf(type: string): AlertSeverity {
  const entry = LEGACY_ALIASES[type] ?? type;
  if (CRITICAL.has(entry)) return 'critical';
  if (INFORMATION.has(entry)) return 'information';
  return 'warning';
}

/**
 * A readable name for a type Kinetic does not know: `LeftFrontWiperFault` → "Left front wiper
 * fault", `some_new_alert` → "Some new alert". Only letters, digits and spaces survive, so a hostile
 * type name cannot inject markup or ICU syntax into the message.
 */
export function humaniseAlertType(type: string): string {
  const words = type
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .map((word, index) => {
      const isAcronym = word.length > 1 && word === word.toUpperCase();
      if (isAcronym) return word;
      return index === 0 ? word[0]?.toUpperCase() + word.slice(1).toLowerCase() : word.toLowerCase();
    });
  return words.length > 0 ? words.join(' ').slice(0, 100) : 'Unknown';
}

/** Title and advice of one alert type, in the language of the messages given. */
export type AlertText = { title: string; advice: string };

type AlertMessages = {
  types: Readonly<Record<string, AlertText>>;
  unknown: AlertText;
};

/**
 * The title and advice for a stored type, from the `alerts` messages of one language (what
 * `getMessages()` or `useMessages()` hands over). Unknown types get the generic text with their
 * humanised name in the title (`unknown.title` holds `{name}`, replaced here without ICU).
 */
export function alertTextOf(type: string, messages: AlertMessages): AlertText {
  const catalogued = catalogueTypeOf(type, messages.types);
  const entry = catalogued === null ? undefined : messages.types[catalogued];
  if (entry) return entry;
  return {
    title: messages.unknown.title.replace('{name}', humaniseAlertType(type)),
    advice: messages.unknown.advice,
  };
}
