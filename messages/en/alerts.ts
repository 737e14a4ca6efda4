// English messages of the `alerts` namespace (ICU message syntax, see next-intl).
// `types` holds a title and one line of advice for every alert type of PSA v4's AlertMsgEnum (4.17),
// for the 4.0 names that have no 4.17 equivalent (lib/alerts/catalogue.ts maps the others), and for
// Kinetic's own `data_stopped`. Advice follows the severity meanings of the spec: critical = do not
// drive on, warning = have it fixed soon, information = deal with it when convenient.
export const alerts = {
  title: 'Alerts',
  intro: 'What your cars reported, newest first.',
  state: { label: 'Show', active: 'Active', history: 'History', all: 'All' },
  severity: {
    label: 'Severity',
    any: 'Any severity',
    critical: 'Critical',
    warning: 'Warning',
    information: 'Information',
  },
  severityHint: {
    critical: 'Do not drive before it is repaired.',
    warning: 'Have it looked at soon.',
    information: 'Deal with it when convenient.',
  },
  vehicle: { label: 'Vehicle', any: 'All vehicles' },
  filter: 'Apply filters',
  resetFilters: 'Clear filters',
  empty: {
    active: 'No active alerts. Everything looks fine.',
    history: 'No past alerts match these filters.',
    all: 'No alerts match these filters.',
  },
  count: '{count, plural, one {# alert} other {# alerts}}',
  started: 'Started',
  ended: 'Ended',
  ongoing: 'Still active',
  where: 'Where',
  noPosition: 'Position not recorded',
  position: '{latitude}, {longitude}',
  vehicleName: 'Vehicle',
  acknowledge: 'Acknowledge',
  acknowledging: 'Acknowledging…',
  acknowledged: 'Acknowledged',
  acknowledgeLabel: 'Acknowledge “{title}” on {vehicle}',
  acknowledgeFailed: 'Could not acknowledge this alert.',
  older: 'Older alerts',
  badge:
    '{count, plural, =0 {No active alerts} one {# active alert needs attention} other {# active alerts need attention}}',
  unknown: {
    title: 'Car alert: {name}',
    advice: 'Kinetic does not know this alert yet. Check the message on the dashboard or ask your dealer.',
  },
  types: {
    data_stopped: {
      title: 'Data stopped arriving',
      advice:
        'Kinetic has not heard from this car for longer than usual. Check the car’s connected services subscription and its account link in Settings.',
    },
    AbsBrakingSystemFault: {
      title: 'ABS fault',
      advice: 'Braking still works but the wheels may lock: drive gently and have the ABS checked soon.',
    },
    ActiveSpoilerFault: {
      title: 'Active spoiler fault',
      advice: 'Keep to moderate speeds and have the spoiler checked at your next visit to the garage.',
    },
    AdBlueFault: {
      title: 'AdBlue system fault',
      advice: 'Have the AdBlue system checked soon: the engine may later refuse to start.',
    },
    AdBlueFaultStartingImpossible: {
      title: 'AdBlue fault: engine will not start',
      advice: 'The car cannot be started until the AdBlue system is repaired. Call roadside assistance.',
    },
    AdBlueFaultStartingImpossibleSoon: {
      title: 'AdBlue fault: starting soon impossible',
      advice: 'Go to a garage now: the engine will refuse to start once the remaining distance runs out.',
    },
    AddWasherFluid: {
      title: 'Washer fluid low',
      advice: 'Top up the screen wash reservoir.',
    },
    AirbagOrSeatBeltPretensionerOrActiveHoodFailure: {
      title: 'Airbag, seat belt or active bonnet failure',
      advice: 'Occupant protection may not work in a crash. Do not drive on: have it repaired first.',
    },
    AssistanceButtonFault: {
      title: 'Assistance call button fault',
      advice: 'Emergency and assistance calls may not go through. Have the system checked.',
    },
    AutomaticBrakingDeactivated: {
      title: 'Automatic emergency braking off',
      advice: 'The car will not brake on its own. Switch it back on in the driving aids menu if you wish.',
    },
    AutomaticHeadlightAdjustmentFault: {
      title: 'Automatic headlight levelling fault',
      advice: 'Your headlights may dazzle others. Have the levelling checked soon.',
    },
    BatteryChargeOrElectricalCircuitSystemFailure: {
      title: 'Battery charging or electrical failure',
      advice: 'The car may stop at any time. Stop safely and call roadside assistance.',
    },
    BrakingSystemFailure: {
      title: 'Braking system failure',
      advice: 'Stop as soon as it is safe and do not drive on. Call roadside assistance.',
    },
    ChargingFailure: {
      title: 'Charging failed',
      advice: 'Check the cable, the socket and the charging point, then try charging again.',
    },
    CheckTheCenterBrakeLamp: {
      title: 'Centre brake light fault',
      advice: 'Replace the bulb or have the light checked soon.',
    },
    CollisionDetectionSystemFault: {
      title: 'Collision detection fault',
      advice: 'Collision warnings may not work. Keep your distance and have the system checked.',
    },
    CollisionMitigationSystemFault: {
      title: 'Automatic emergency braking fault',
      advice: 'The car may not brake on its own to avoid a collision. Have the system checked soon.',
    },
    CoolantLevellow: {
      title: 'Coolant level low',
      advice: 'Let the engine cool, then top up the coolant. If it keeps dropping, see a garage.',
    },
    DrivingAssistanceSensorBlind: {
      title: 'Driving aid sensor blocked',
      advice: 'Clean the camera and radar (windscreen, front badge). Driving aids are limited meanwhile.',
    },
    ElectricTractionSystemFailureLimitSpeed: {
      title: 'Electric drive failure: speed limited',
      advice: 'Drive gently to the nearest garage; power is reduced.',
    },
    ElectricTractionSystemFailureStopVehicle: {
      title: 'Electric drive failure: stop the car',
      advice: 'Stop as soon as it is safe and call roadside assistance.',
    },
    ElectricTractionSystemFault: {
      title: 'Electric drive fault',
      advice: 'Have the electric drive system checked soon.',
    },
    ElectronicImmobiliserFault: {
      title: 'Immobiliser fault',
      advice: 'The car may refuse to start. Have the immobiliser checked soon.',
    },
    EmissionSystemOrAdBlueQualityFailueStartingImpossible: {
      title: 'Emissions or AdBlue quality failure: engine will not start',
      advice: 'The car cannot be started until it is repaired. Call roadside assistance.',
    },
    EmissionSystemOrAdBlueQualityFailueStartingImpossibleSoon: {
      title: 'Emissions or AdBlue quality failure: starting soon impossible',
      advice: 'Go to a garage now, before the engine refuses to start.',
    },
    EmissionSystemOrAdBlueQualityFailure: {
      title: 'Emissions system or AdBlue quality fault',
      advice: 'The car pollutes more than it should. Have it checked soon.',
    },
    EngineFailure: {
      title: 'Engine failure',
      advice: 'Stop as soon as it is safe and do not drive on. Call roadside assistance.',
    },
    EngineFault: {
      title: 'Engine fault',
      advice: 'Drive gently and have the engine checked soon.',
    },
    EngineMisfiringFuel: {
      title: 'Engine misfiring',
      advice: 'Avoid hard acceleration and have the engine checked soon.',
    },
    EngineOilPressureFailure: {
      title: 'Engine oil pressure failure',
      advice: 'Stop the engine as soon as it is safe: driving on can destroy it. Check the oil level.',
    },
    EngineTemperatureFailure: {
      title: 'Engine overheating',
      advice: 'Stop as soon as it is safe and let the engine cool. Do not drive on.',
    },
    EspAsrSystemFault: {
      title: 'Stability or traction control fault',
      advice: 'The car may skid more easily: drive carefully and have it checked soon.',
    },
    FrontLeftFlashingIndicatorFault: {
      title: 'Front left indicator fault',
      advice: 'Replace the bulb or have the indicator checked.',
    },
    FrontLeftFogLampsFault: {
      title: 'Front left fog light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    FrontLeftParkingLampsFault: {
      title: 'Front left side light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    FrontRightFlashingIndicatorFault: {
      title: 'Front right indicator fault',
      advice: 'Replace the bulb or have the indicator checked.',
    },
    FrontRightFogLampsFault: {
      title: 'Front right fog light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    FrontRightParkingLampsFault: {
      title: 'Front right side light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    FuelLevelLow: {
      title: 'Fuel low',
      advice: 'Refuel soon.',
    },
    GearboxFault: {
      title: 'Gearbox fault',
      advice: 'Drive gently and have the gearbox checked soon.',
    },
    HeadlightsFault: {
      title: 'Headlight fault',
      advice: 'Replace the bulb or have the headlights checked before driving at night.',
    },
    InstalledSpareWheelFault: {
      title: 'Spare wheel fitted',
      advice:
        'Some driving aids are off while the spare is fitted. Keep to its speed limit and repair the tyre.',
    },
    InterVehicleTimeMeasurementFault: {
      title: 'Distance alert fault',
      advice: 'The following-distance warning may not work. Keep your distance and have it checked.',
    },
    LaneChangeAssistanceFault: {
      title: 'Lane change assist fault',
      advice: 'Check your blind spots yourself and have the system checked.',
    },
    LaneDepartureWarningSystemFault: {
      title: 'Lane departure warning fault',
      advice: 'The car will not warn you when drifting out of lane. Have the system checked.',
    },
    LeftBrakeLampFault: {
      title: 'Left brake light fault',
      advice: 'Replace the bulb or have the light checked soon.',
    },
    LeftFrontDoorOpen: {
      title: 'Front left door open',
      advice: 'Close the door.',
    },
    LeftFrontDoorOpenLowSpeed: {
      title: 'Front left door open while moving',
      advice: 'Stop when it is safe and close the door.',
    },
    LeftFrontTirePressurSensorFault: {
      title: 'Front left tyre sensor fault',
      advice: 'This tyre is not monitored: check its pressure by hand and have the sensor checked.',
    },
    LeftFrontTirePuncture: {
      title: 'Front left tyre puncture',
      advice: 'Stop as soon as it is safe and change or repair the tyre.',
    },
    LeftFrontTireUnderInflated: {
      title: 'Front left tyre under-inflated',
      advice: 'Inflate the tyre to the pressure shown on the door pillar.',
    },
    LeftRearDoorOpen: {
      title: 'Rear left door open',
      advice: 'Close the door.',
    },
    LeftRearDoorOpenLowSpeed: {
      title: 'Rear left door open while moving',
      advice: 'Stop when it is safe and close the door.',
    },
    LeftRearTirePressurSensorFault: {
      title: 'Rear left tyre sensor fault',
      advice: 'This tyre is not monitored: check its pressure by hand and have the sensor checked.',
    },
    LeftRearTirePuncture: {
      title: 'Rear left tyre puncture',
      advice: 'Stop as soon as it is safe and change or repair the tyre.',
    },
    LeftRearTireUnderInflated: {
      title: 'Rear left tyre under-inflated',
      advice: 'Inflate the tyre to the pressure shown on the door pillar.',
    },
    LeftReverseLampFault: {
      title: 'Left reversing light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    OilLevelLow: {
      title: 'Engine oil low',
      advice: 'Top up the engine oil soon, with the grade given in the handbook.',
    },
    ParkAssistSystemFault: {
      title: 'Parking assistance fault',
      advice: 'Parking sensors or camera may not warn you. Manoeuvre carefully and have them checked.',
    },
    ParkingBrakeOrHillStartSystemFailure: {
      title: 'Parking brake or hill start failure',
      advice: 'The car may roll away when parked. Do not drive on: have it repaired.',
    },
    ParticleFilterAdditiveLevelTooLow: {
      title: 'Particle filter additive low',
      advice: 'Have the additive topped up soon to avoid clogging the filter.',
    },
    ParticleFilterFull: {
      title: 'Particle filter clogging',
      advice: 'Drive at a steady speed above 60 km/h for about 15 minutes; if it stays on, see a garage.',
    },
    ParticleFilterRegenerating: {
      title: 'Particle filter cleaning itself',
      advice: 'Keep driving at a steady speed until the message goes out.',
    },
    PowerSteeringFailure: {
      title: 'Power steering failure',
      advice: 'Steering is much heavier. Stop when it is safe and do not drive on.',
    },
    PowerSteeringFault: {
      title: 'Power steering fault',
      advice: 'Steering may feel heavier. Drive carefully and have it checked soon.',
    },
    PreheatingPreventilationDeactivatedBatteryLow: {
      title: 'Pre-heating off: battery low',
      advice: 'Charge the battery or drive to charge it; pre-heating will work again.',
    },
    PreheatingPreventilationDeactivatedClockUnset: {
      title: 'Pre-heating off: clock not set',
      advice: 'Set the car’s clock to use programmed pre-heating or ventilation.',
    },
    PreheatingPreventilationDeactivatedFuelLevelLow: {
      title: 'Pre-heating off: fuel low',
      advice: 'Refuel to use pre-heating again.',
    },
    RearLeftFlashingIndicatorFault: {
      title: 'Rear left indicator fault',
      advice: 'Replace the bulb or have the indicator checked.',
    },
    RearLeftFogLampsFault: {
      title: 'Rear left fog light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    RearLeftParkingLampsFault: {
      title: 'Rear left tail light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    RearRightFlashingIndicatorFault: {
      title: 'Rear right indicator fault',
      advice: 'Replace the bulb or have the indicator checked.',
    },
    RearRightFogLampsFault: {
      title: 'Rear right fog light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    RearRightParkingLampsFault: {
      title: 'Rear right tail light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    RearWindowOpen: {
      title: 'Rear window open',
      advice: 'Close the rear window.',
    },
    RearWindowOpenLowSpeed: {
      title: 'Rear window open while moving',
      advice: 'Stop when it is safe and close the rear window.',
    },
    ReplaceBrakePads: {
      title: 'Brake pads worn',
      advice: 'Have the brake pads replaced soon.',
    },
    ReplaceTheRemoteControlBattery: {
      title: 'Key battery low',
      advice: 'Replace the battery of the remote key.',
    },
    RetractableRoofMechanismFault: {
      title: 'Retractable roof fault',
      advice: 'Do not operate the roof; have the mechanism checked.',
    },
    RightBrakeLampFault: {
      title: 'Right brake light fault',
      advice: 'Replace the bulb or have the light checked soon.',
    },
    RightFrontDoorOpenLowSpeed: {
      title: 'Front right door open while moving',
      advice: 'Stop when it is safe and close the door.',
    },
    RightFrontDoorOpen: {
      title: 'Front right door open',
      advice: 'Close the door.',
    },
    RightFrontTirePressurSensorFault: {
      title: 'Front right tyre sensor fault',
      advice: 'This tyre is not monitored: check its pressure by hand and have the sensor checked.',
    },
    RightFrontTirePuncture: {
      title: 'Front right tyre puncture',
      advice: 'Stop as soon as it is safe and change or repair the tyre.',
    },
    RightFrontTireUnderInflated: {
      title: 'Front right tyre under-inflated',
      advice: 'Inflate the tyre to the pressure shown on the door pillar.',
    },
    RightRearDoorOpen: {
      title: 'Rear right door open',
      advice: 'Close the door.',
    },
    RightRearDoorOpenLowSpeed: {
      title: 'Rear right door open while moving',
      advice: 'Stop when it is safe and close the door.',
    },
    RightRearTirePressurSensorFault: {
      title: 'Rear right tyre sensor fault',
      advice: 'This tyre is not monitored: check its pressure by hand and have the sensor checked.',
    },
    RightRearTirePuncture: {
      title: 'Rear right tyre puncture',
      advice: 'Stop as soon as it is safe and change or repair the tyre.',
    },
    RightRearTireUnderInflated: {
      title: 'Rear right tyre under-inflated',
      advice: 'Inflate the tyre to the pressure shown on the door pillar.',
    },
    RightReverseLampFault: {
      title: 'Right reversing light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    RiskOfIce: {
      title: 'Risk of ice',
      advice: 'The road may be icy: slow down and keep a longer distance.',
    },
    RoofOperationNotPossibleSpeedUnknown: {
      title: 'Roof cannot move: speed unknown',
      advice: 'Stop the car before opening or closing the roof.',
    },
    RoofOperationNotPossibleTooHighTemp: {
      title: 'Roof cannot move: too hot',
      advice: 'Wait for the mechanism to cool down, then try again.',
    },
    ShiftToPark: {
      title: 'Shift to P',
      advice: 'Put the gear selector in P before leaving the car.',
    },
    SteeringLockFault: {
      title: 'Steering lock fault',
      advice: 'The car may not start or lock properly. Have the steering lock checked soon.',
    },
    SuspensionFault: {
      title: 'Suspension fault',
      advice: 'Drive gently and have the suspension checked soon.',
    },
    SuspensionFaultLimitSpeed: {
      title: 'Suspension fault: limit your speed',
      advice: 'Keep below 90 km/h and have the suspension checked soon.',
    },
    SuspensionFaultRepaireVehicle: {
      title: 'Suspension failure: repair needed',
      advice: 'Do not drive on: have the car repaired.',
    },
    TireUnderInflationDetectionSystemFault: {
      title: 'Tyre pressure monitoring fault',
      advice: 'Tyres are not monitored: check their pressures by hand and have the system checked.',
    },
    TooManyRoofOperation: {
      title: 'Roof used too often',
      advice: 'Let the roof mechanism rest for a few minutes before using it again.',
    },
    TrailerConnectionFault: {
      title: 'Trailer connection fault',
      advice: 'Check the trailer plug and its lights before driving on.',
    },
    TrunkOrHoodOpen: {
      title: 'Boot or bonnet open',
      advice: 'Close the boot or bonnet.',
    },
    TrunkOrHoodOpenLowSpeed: {
      title: 'Boot or bonnet open while moving',
      advice: 'Stop when it is safe and close it.',
    },
    WaterInTheDieselFuelFilter: {
      title: 'Water in the diesel filter',
      advice: 'Have the fuel filter drained soon: water can damage the injection system.',
    },
    // 4.0 names with no 4.17 equivalent (the others are mapped in lib/alerts/catalogue.ts).
    checkTheBrakeLamp: {
      title: 'Brake light fault',
      advice: 'Replace the bulb or have the brake lights checked soon.',
    },
    roofOperationImpossibleStartEngine: {
      title: 'Roof cannot move: start the engine',
      advice: 'Start the engine, then operate the roof.',
    },
    roofOperationImpossibleApplyParkingBreak: {
      title: 'Roof cannot move: apply the parking brake',
      advice: 'Apply the parking brake, then operate the roof.',
    },
    hybridSystemFault: {
      title: 'Hybrid system fault',
      advice: 'Have the hybrid system checked soon.',
    },
    hybridSystemFaultRepairedTheVehicle: {
      title: 'Hybrid system failure: repair needed',
      advice: 'Do not drive on: have the car repaired.',
    },
    electricModeNotAvailable: {
      title: 'Electric mode unavailable',
      advice: 'The car drives on its engine only for now. If this lasts, have it checked.',
    },
    wheelPressureFault: {
      title: 'Tyre pressure fault',
      advice: 'Check the pressure of all four tyres.',
    },
    checkSideLamps: {
      title: 'Side light fault',
      advice: 'Replace the bulb or have the side lights checked.',
    },
    frontFoglightFault: {
      title: 'Front fog light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    rearFoglightFault: {
      title: 'Rear fog light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    checkDirectionIndicator: {
      title: 'Indicator fault',
      advice: 'Replace the bulb or have the indicators checked.',
    },
    checkReversingLamp: {
      title: 'Reversing light fault',
      advice: 'Replace the bulb or have the light checked.',
    },
    adjustTyrePressure: {
      title: 'Adjust tyre pressure',
      advice: 'Inflate the tyres to the pressures shown on the door pillar.',
    },
    directionalHeadlampsFault: {
      title: 'Cornering headlight fault',
      advice: 'Headlights no longer follow the bends. Have them checked.',
    },
    tyreUnderInflation: {
      title: 'Tyre under-inflated',
      advice: 'Check and inflate the tyres to the pressures shown on the door pillar.',
    },
    tupUpAdBlue: {
      title: 'Top up AdBlue',
      advice: 'Top up AdBlue soon: the engine will not restart once the tank is empty.',
    },
    longPushToUnlockTankFault: {
      title: 'Fuel flap release fault',
      advice: 'The fuel flap may not open. Have it checked before you need to refuel.',
    },
  },
};
