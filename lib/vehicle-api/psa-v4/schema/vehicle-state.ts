import 'server-only';
import { z } from 'zod';
import { psaV4DateTimeSchema } from './common';
import { psaV4PositionSchema } from './position';
import { psaV4PreconditioningProgramSchema } from './programs';

// The vehicle sub-objects shared by status and telemetry. The spec defines most of them twice: a `…Base`
// form without timestamps (inside a telemetry message, whose own `createdAt` applies) and a status form that
// adds a required `createdAt` (when that piece of data was collected). Both are exported.
//
// Enum values are exactly the spec's, typos included. `Off`, `On`, `off` and `No` appear unquoted in the
// YAML, which a YAML 1.1 parser reads as booleans; they are strings here, so a boolean is rejected.

const createdAt = { createdAt: psaV4DateTimeSchema };

const powertrainStatus = z.enum(['NotRunning', 'Starting', 'Running', 'Stopping', 'Stopped']);

/** Engine fluid: level in percent, temperature in °C. */
const engineLiquid = z.object({
  level: z.int().min(0).max(100).optional(),
  temp: z.number().optional(),
});

export const psaV4EngineBaseSchema = z.object({
  type: z.enum(['Thermic', 'Electric']).optional(),
  /** Deprecated: use `extension.thermic.oil`. Temperature, °C. */
  oil: z.object({ temp: z.number().optional() }).optional(),
  /** Engine speed, rpm. */
  speed: z.number().optional(),
  /** Deprecated: see `powertrain.status`. */
  gmpStatus: powertrainStatus.optional(),
  extension: z
    .object({
      thermic: z
        .object({
          coolant: engineLiquid.optional(),
          oil: engineLiquid.optional(),
          /** Engine intake air temperature, °C. */
          air: z.object({ temp: z.number().optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
});
export type PsaV4EngineBase = z.infer<typeof psaV4EngineBaseSchema>;
export const psaV4EngineSchema = psaV4EngineBaseSchema.extend(createdAt);
export type PsaV4Engine = z.infer<typeof psaV4EngineSchema>;

export const psaV4PowertrainBaseSchema = z.object({ status: powertrainStatus.optional() });
export type PsaV4PowertrainBase = z.infer<typeof psaV4PowertrainBaseSchema>;
export const psaV4PowertrainSchema = psaV4PowertrainBaseSchema.extend(createdAt);
export type PsaV4Powertrain = z.infer<typeof psaV4PowertrainSchema>;

/** Movement: acceleration in m/s², speed in km/h. */
export const psaV4KineticBaseSchema = z.object({
  acceleration: z.number().optional(),
  speed: z.number().optional(),
  moving: z.boolean().optional(),
});
export type PsaV4KineticBase = z.infer<typeof psaV4KineticBaseSchema>;
export const psaV4KineticSchema = psaV4KineticBaseSchema.extend(createdAt);
export type PsaV4Kinetic = z.infer<typeof psaV4KineticSchema>;

/** Odometer, km. */
export const psaV4OdometerBaseSchema = z.object({ mileage: z.number().nonnegative().optional() });
export type PsaV4OdometerBase = z.infer<typeof psaV4OdometerBaseSchema>;
export const psaV4OdometerSchema = psaV4OdometerBaseSchema.extend(createdAt);
export type PsaV4Odometer = z.infer<typeof psaV4OdometerSchema>;

/**
 * `IgnitionBase` lists `createdAt` as required though it declares no such property; the requirement is
 * applied to the status form only (telemetry messages carry no per-object time).
 */
export const psaV4IgnitionBaseSchema = z.object({ type: z.enum(['Stop', 'StartUp', 'Start']) });
export type PsaV4IgnitionBase = z.infer<typeof psaV4IgnitionBaseSchema>;
export const psaV4IgnitionSchema = psaV4IgnitionBaseSchema.extend(createdAt);
export type PsaV4Ignition = z.infer<typeof psaV4IgnitionSchema>;

/** Geolocation hides positions; Full also hides driving data. */
export const psaV4PrivacyBaseSchema = z.object({ state: z.enum(['None', 'Geolocation', 'Full']).optional() });
export type PsaV4PrivacyBase = z.infer<typeof psaV4PrivacyBaseSchema>;
export const psaV4PrivacySchema = psaV4PrivacyBaseSchema.extend(createdAt);
export type PsaV4Privacy = z.infer<typeof psaV4PrivacySchema>;

/** Deprecated by the spec, still part of the status. */
export const psaV4ServiceSchema = z.object({
  ...createdAt,
  type: z.enum(['Electric', 'Hybrid', 'Unknown']).optional(),
});
export type PsaV4Service = z.infer<typeof psaV4ServiceSchema>;

/** 12 V auxiliary battery. The spec names the field `voltage` but describes it as state of health in %. */
export const psaV4BatteryBaseSchema = z.object({ voltage: z.number().optional() });
export type PsaV4BatteryBase = z.infer<typeof psaV4BatteryBaseSchema>;
export const psaV4BatterySchema = psaV4BatteryBaseSchema.extend(createdAt);
export type PsaV4Battery = z.infer<typeof psaV4BatterySchema>;

const luminosity = z.object({ day: z.boolean().optional() });
/** Outside air temperature, °C. */
const air = z.object({ temp: z.number().optional() });
export const psaV4EnvironmentBaseSchema = z.object({
  luminosity: luminosity.optional(),
  air: air.optional(),
});
export type PsaV4EnvironmentBase = z.infer<typeof psaV4EnvironmentBaseSchema>;
export const psaV4EnvironmentSchema = z.object({
  luminosity: luminosity.extend(createdAt).optional(),
  air: air.extend(createdAt).optional(),
});
export type PsaV4Environment = z.infer<typeof psaV4EnvironmentSchema>;

export const psaV4DoorsStateBaseSchema = z.object({
  lockedStates: z
    .array(
      z.enum([
        'Unlocked',
        'Locked',
        'SuperLocked',
        'DriverDoorUnlocked',
        'CabinDoorsUnlocked',
        'CargoDoorsLocked',
        'CargoDoorsUnlocked',
        'RearDoorsUnlocked',
        'RearDoorsLocked',
        'TrunkLocked',
        'TrunkUnLocked',
      ]),
    )
    .optional(),
  opening: z
    .array(
      z.object({
        identifier: z
          .enum(['Driver', 'Passenger', 'RearLeft', 'RearRight', 'Trunk', 'RearWindow', 'RoofWindow'])
          .optional(),
        state: z.enum(['Open', 'Closed']).optional(),
      }),
    )
    .optional(),
});
export type PsaV4DoorsStateBase = z.infer<typeof psaV4DoorsStateBaseSchema>;
export const psaV4DoorsStateSchema = psaV4DoorsStateBaseSchema.extend(createdAt);
export type PsaV4DoorsState = z.infer<typeof psaV4DoorsStateSchema>;

export const psaV4SafetyBaseSchema = z.object({
  beltStatus: z
    .array(
      z.object({
        belt: z.enum(['Normal', 'Omission']).optional(),
        id: z.enum(['Driver', 'Passenger']).optional(),
      }),
    )
    .optional(),
  autoECallTriggering: z.enum(['NotDetected', 'Detected', 'ShockDetectionUnabled']).optional(),
});
export type PsaV4SafetyBase = z.infer<typeof psaV4SafetyBaseSchema>;
export const psaV4SafetySchema = psaV4SafetyBaseSchema.extend(createdAt);
export type PsaV4Safety = z.infer<typeof psaV4SafetySchema>;

export const psaV4DrivingBehaviorBaseSchema = z.object({
  mode: z
    .enum([
      'Normal',
      'Sport',
      'Comfort',
      'Eco',
      'Sand',
      'Mud',
      'Snow',
      'ZEV',
      'Hybrid',
      'ZEVEco',
      'HybridEco',
      'EcoPlus',
      'eAWD',
      '4AWD',
      'ReinforcedLoad',
    ])
    .optional(),
});
export type PsaV4DrivingBehaviorBase = z.infer<typeof psaV4DrivingBehaviorBaseSchema>;
export const psaV4DrivingBehaviorSchema = psaV4DrivingBehaviorBaseSchema.extend(createdAt);
export type PsaV4DrivingBehavior = z.infer<typeof psaV4DrivingBehaviorSchema>;

const lights = z.array(
  z.object({
    direction: z.enum(['Left', 'Right']).optional(),
    position: z.enum(['Front', 'Rear']).optional(),
    status: z.enum(['Off', 'On']).optional(),
  }),
);
export const psaV4LightingSystemBaseSchema = z.object({ turn: lights.optional(), fog: lights.optional() });
export type PsaV4LightingSystemBase = z.infer<typeof psaV4LightingSystemBaseSchema>;
export const psaV4LightingSystemSchema = psaV4LightingSystemBaseSchema.extend(createdAt);
export type PsaV4LightingSystem = z.infer<typeof psaV4LightingSystemSchema>;

const airConditioning = z.object({
  /** Deprecated by the spec. */
  updatedAt: psaV4DateTimeSchema.optional(),
  status: z.enum(['Enabled', 'Disabled', 'Finished', 'Failure']).optional(),
  startingCause: z.enum(['Immediate', 'Scheduled']).optional(),
  failureCause: z
    .enum([
      'Defect',
      'DoorOpened',
      'LowBattery',
      'LowFuelLevel',
      'TooManyUnusedProg',
      'WindowsRoofOpened',
      'HoodOpened',
      'NotParked',
      'OtherFailures',
    ])
    .optional(),
  programs: z.array(psaV4PreconditioningProgramSchema).optional(),
});
/** Status `preconditioning` (and its deprecated twin `preconditionning`). */
export const psaV4PreconditioningSchema = z.object({
  airConditioning: airConditioning.extend(createdAt).optional(),
});
export type PsaV4Preconditioning = z.infer<typeof psaV4PreconditioningSchema>;

export const psaV4AlarmActivationSchema = z.enum(['Inactive', 'Active']);
export type PsaV4AlarmActivation = z.infer<typeof psaV4AlarmActivationSchema>;
export const psaV4AlarmTriggerTypeSchema = z.enum([
  'NoBreakIn',
  'FrontRightDoorBreakIn',
  'FrontLeftDoorBreakIn',
  'RearRightFrontDoorBreakIn',
  'RearLeftFrontDoorBreakIn',
  'HoodDoorBreakIn',
  'TrunkDoorBreakIn',
  'BackliteDoorBreakIn',
  'RoofBreakIn',
  'VolumetricBreakIn',
  'VehicleLifting',
  'ElectricalsystemBreakIn',
  'KeyLearning',
  'UnauthenticatedStartup',
]);
export type PsaV4AlarmTriggerType = z.infer<typeof psaV4AlarmTriggerTypeSchema>;
const alarmStatus = z.object({ activation: psaV4AlarmActivationSchema });
const alarmTrigger = z.object({
  type: psaV4AlarmTriggerTypeSchema,
  /** Last known position when the alarm went off. */
  position: psaV4PositionSchema.optional(),
  startAt: psaV4DateTimeSchema,
});
/** Telemetry `vehicle.alarm`. */
export const psaV4AlarmBaseSchema = z.object({
  status: alarmStatus.optional(),
  trigger: alarmTrigger.optional(),
});
export type PsaV4AlarmBase = z.infer<typeof psaV4AlarmBaseSchema>;
/** Status `alarm` and alarm resources: current status and/or latest trigger, each with `createdAt`. */
export const psaV4AlarmSchema = z.object({
  status: alarmStatus.extend(createdAt).optional(),
  trigger: alarmTrigger.extend(createdAt).optional(),
});
export type PsaV4Alarm = z.infer<typeof psaV4AlarmSchema>;

// Telemetry-only blocks.

const parkAssist = ['Fault', 'DriverInhibition', 'Active', 'Wait', 'OutOfService'] as const;
const laneKeeping = z.enum(['Authorized', 'CorrectionInProgress', 'NotAuthorized', 'NotSelected']);

/** Driver assistance systems. */
export const psaV4AdasSchema = z.object({
  parkAssist: z
    .object({
      front: z.array(z.enum(parkAssist)).optional(),
      rear: z.array(z.enum([...parkAssist, 'TrailerInhibition'])).optional(),
    })
    .optional(),
  /** Adaptive cruise control regulation. */
  accr: z
    .enum([
      'Activated',
      'Fault',
      'Hold',
      'HoldWithOverSpeeding',
      'Off',
      'OverSpeedingByPedalPress',
      'StandBy',
    ])
    .optional(),
  /** Speed limiter active. */
  lvv: z.boolean().optional(),
  /** Cruise control. */
  rvv: z
    .enum([
      'Off',
      'NoBestFit',
      'BestFitInProgress',
      'BestFitMax',
      'BestFitMin',
      'BestFitDeactivated',
      'AutoDeactivated',
      'OverflowSpeedConsign',
      'LackOfVisibilityRadar',
      'LearningRadar',
      'Deactivated',
      'LimitSetting',
    ])
    .optional(),
  /** Advanced emergency braking. The spec spells the first value in lower case: `off`. */
  aebs: z.enum(['off', 'Fixed', 'OnFlashing']).optional(),
  /** Lane departure warning. */
  afil: z.enum(['FlashingFault', 'FlashingWarning', 'Off', 'OnFixed']).optional(),
  /** Inter-vehicle time assist. */
  artiv: z.enum(['NotSelected', 'Selected', 'Unavailable']).optional(),
  /** Blind spot monitoring. */
  bsm: z.enum(['Active', 'Inactive', 'Disabled', 'Fault']).optional(),
  esp: z.boolean().optional(),
  abs: z.boolean().optional(),
  /** Electric brake service. */
  fse: z.boolean().optional(),
  /** Speed limit information, km/h. */
  sli: z.int().optional(),
  rlka: laneKeeping.optional(),
  llka: laneKeeping.optional(),
  /** Recommended gear indicator. */
  rgi: z.enum(['None', 'Up', 'Down', 'UpDown']).optional(),
});
export type PsaV4Adas = z.infer<typeof psaV4AdasSchema>;

export const psaV4TransmissionSchema = z.object({
  gearbox: z
    .object({
      mode: z
        .object({
          automatic: z.boolean().optional(),
          sport: z.boolean().optional(),
          snow: z.boolean().optional(),
          sequential: z.boolean().optional(),
          semiManual: z.boolean().optional(),
        })
        .optional(),
      ratio: z
        .enum([
          'Ratio1',
          'Ratio2',
          'Ratio3',
          'Ratio4',
          'Ratio5',
          'Ratio6',
          'Ratio7',
          'Ratio8',
          'Neutral',
          'Reverse',
        ])
        .optional(),
    })
    .optional(),
});
export type PsaV4Transmission = z.infer<typeof psaV4TransmissionSchema>;

/** `speed` is present only while `active` is true. */
export const psaV4WipingBladesSchema = z.object({
  active: z.boolean().optional(),
  speed: z.enum(['High', 'Low']).optional(),
});
export type PsaV4WipingBlades = z.infer<typeof psaV4WipingBladesSchema>;
