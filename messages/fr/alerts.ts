import type { EnglishMessages } from '../en';

// Messages en français de l'espace `alerts` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const alerts: EnglishMessages['alerts'] = {
  title: 'Alertes',
  intro: 'Ce que vos voitures ont signalé, du plus récent au plus ancien.',
  state: { label: 'Afficher', active: 'En cours', history: 'Historique', all: 'Toutes' },
  severity: {
    label: 'Gravité',
    any: 'Toutes gravités',
    critical: 'Critique',
    warning: 'Avertissement',
    information: 'Information',
  },
  severityHint: {
    critical: 'Ne roulez pas avant la réparation.',
    warning: 'À faire vérifier rapidement.',
    information: 'À traiter quand cela vous convient.',
  },
  vehicle: { label: 'Véhicule', any: 'Tous les véhicules' },
  filter: 'Appliquer les filtres',
  resetFilters: 'Effacer les filtres',
  empty: {
    active: 'Aucune alerte en cours. Tout semble normal.',
    history: 'Aucune alerte passée ne correspond à ces filtres.',
    all: 'Aucune alerte ne correspond à ces filtres.',
  },
  count: '{count, plural, one {# alerte} other {# alertes}}',
  started: 'Début',
  ended: 'Fin',
  ongoing: 'Toujours en cours',
  where: 'Lieu',
  noPosition: 'Position non enregistrée',
  position: '{latitude}, {longitude}',
  vehicleName: 'Véhicule',
  acknowledge: 'Marquer comme vue',
  acknowledging: 'Enregistrement…',
  acknowledged: 'Vue',
  acknowledgeLabel: 'Marquer « {title} » comme vue sur {vehicle}',
  acknowledgeFailed: 'Impossible de marquer cette alerte comme vue.',
  older: 'Alertes plus anciennes',
  badge:
    '{count, plural, =0 {Aucune alerte en cours} one {# alerte en cours demande votre attention} other {# alertes en cours demandent votre attention}}',
  unknown: {
    title: 'Alerte du véhicule : {name}',
    advice:
      'Kinetic ne connaît pas encore cette alerte. Lisez le message au tableau de bord ou demandez à votre garage.',
  },
  types: {
    data_stopped: {
      title: 'Les données n’arrivent plus',
      advice:
        'Kinetic n’a pas de nouvelles de cette voiture depuis plus longtemps que d’habitude. Vérifiez l’abonnement aux services connectés et la liaison du compte dans les Réglages.',
    },
    AbsBrakingSystemFault: {
      title: 'Défaut ABS',
      advice:
        'Le freinage fonctionne mais les roues peuvent se bloquer : roulez prudemment et faites vérifier l’ABS.',
    },
    ActiveSpoilerFault: {
      title: 'Défaut de l’aileron actif',
      advice: 'Modérez votre vitesse et faites vérifier l’aileron lors de votre prochain passage au garage.',
    },
    AdBlueFault: {
      title: 'Défaut du système AdBlue',
      advice:
        'Faites vérifier le système AdBlue rapidement : le moteur pourrait ensuite refuser de démarrer.',
    },
    AdBlueFaultStartingImpossible: {
      title: 'Défaut AdBlue : démarrage impossible',
      advice: 'La voiture ne peut pas démarrer avant la réparation du système AdBlue. Appelez l’assistance.',
    },
    AdBlueFaultStartingImpossibleSoon: {
      title: 'Défaut AdBlue : démarrage bientôt impossible',
      advice:
        'Allez au garage dès maintenant : le moteur refusera de démarrer une fois l’autonomie restante épuisée.',
    },
    AddWasherFluid: {
      title: 'Niveau de lave-glace bas',
      advice: 'Faites l’appoint de liquide lave-glace.',
    },
    AirbagOrSeatBeltPretensionerOrActiveHoodFailure: {
      title: 'Défaillance airbag, prétensionneur ou capot actif',
      advice:
        'La protection des occupants peut ne pas fonctionner en cas de choc. Ne roulez pas avant la réparation.',
    },
    AssistanceButtonFault: {
      title: 'Défaut du bouton d’assistance',
      advice: 'Les appels d’urgence et d’assistance peuvent échouer. Faites vérifier le système.',
    },
    AutomaticBrakingDeactivated: {
      title: 'Freinage automatique d’urgence désactivé',
      advice:
        'La voiture ne freinera pas seule. Réactivez-le dans le menu des aides à la conduite si vous le souhaitez.',
    },
    AutomaticHeadlightAdjustmentFault: {
      title: 'Défaut du réglage automatique des projecteurs',
      advice: 'Vos projecteurs peuvent éblouir les autres usagers. Faites vérifier le réglage rapidement.',
    },
    BatteryChargeOrElectricalCircuitSystemFailure: {
      title: 'Défaillance de charge batterie ou du circuit électrique',
      advice: 'La voiture peut s’arrêter à tout moment. Arrêtez-vous en sécurité et appelez l’assistance.',
    },
    BrakingSystemFailure: {
      title: 'Défaillance du freinage',
      advice: 'Arrêtez-vous dès que possible en sécurité et ne repartez pas. Appelez l’assistance.',
    },
    ChargingFailure: {
      title: 'Échec de la recharge',
      advice: 'Vérifiez le câble, la prise et la borne, puis relancez la recharge.',
    },
    CheckTheCenterBrakeLamp: {
      title: 'Défaut du troisième feu stop',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu rapidement.',
    },
    CollisionDetectionSystemFault: {
      title: 'Défaut de détection de collision',
      advice:
        'Les alertes de collision peuvent ne pas fonctionner. Gardez vos distances et faites vérifier le système.',
    },
    CollisionMitigationSystemFault: {
      title: 'Défaut du freinage automatique d’urgence',
      advice:
        'La voiture peut ne pas freiner seule pour éviter un choc. Faites vérifier le système rapidement.',
    },
    CoolantLevellow: {
      title: 'Niveau de liquide de refroidissement bas',
      advice:
        'Laissez refroidir le moteur puis faites l’appoint. Si le niveau baisse encore, allez au garage.',
    },
    DrivingAssistanceSensorBlind: {
      title: 'Capteur d’aide à la conduite masqué',
      advice:
        'Nettoyez la caméra et le radar (pare-brise, logo avant). Les aides sont limitées en attendant.',
    },
    ElectricTractionSystemFailureLimitSpeed: {
      title: 'Défaillance de la motorisation électrique : vitesse limitée',
      advice: 'Rejoignez doucement le garage le plus proche ; la puissance est réduite.',
    },
    ElectricTractionSystemFailureStopVehicle: {
      title: 'Défaillance de la motorisation électrique : arrêtez-vous',
      advice: 'Arrêtez-vous dès que possible en sécurité et appelez l’assistance.',
    },
    ElectricTractionSystemFault: {
      title: 'Défaut de la motorisation électrique',
      advice: 'Faites vérifier la motorisation électrique rapidement.',
    },
    ElectronicImmobiliserFault: {
      title: 'Défaut de l’antidémarrage',
      advice: 'La voiture peut refuser de démarrer. Faites vérifier l’antidémarrage rapidement.',
    },
    EmissionSystemOrAdBlueQualityFailueStartingImpossible: {
      title: 'Défaillance antipollution ou qualité AdBlue : démarrage impossible',
      advice: 'La voiture ne peut pas démarrer avant la réparation. Appelez l’assistance.',
    },
    EmissionSystemOrAdBlueQualityFailueStartingImpossibleSoon: {
      title: 'Défaillance antipollution ou qualité AdBlue : démarrage bientôt impossible',
      advice: 'Allez au garage dès maintenant, avant que le moteur ne refuse de démarrer.',
    },
    EmissionSystemOrAdBlueQualityFailure: {
      title: 'Défaut antipollution ou qualité AdBlue',
      advice: 'La voiture pollue plus qu’elle ne devrait. Faites-la vérifier rapidement.',
    },
    EngineFailure: {
      title: 'Défaillance moteur',
      advice: 'Arrêtez-vous dès que possible en sécurité et ne repartez pas. Appelez l’assistance.',
    },
    EngineFault: {
      title: 'Défaut moteur',
      advice: 'Roulez calmement et faites vérifier le moteur rapidement.',
    },
    EngineMisfiringFuel: {
      title: 'Ratés d’allumage',
      advice: 'Évitez les fortes accélérations et faites vérifier le moteur rapidement.',
    },
    EngineOilPressureFailure: {
      title: 'Défaillance de pression d’huile',
      advice:
        'Coupez le moteur dès que possible en sécurité : continuer peut le détruire. Vérifiez le niveau d’huile.',
    },
    EngineTemperatureFailure: {
      title: 'Surchauffe moteur',
      advice: 'Arrêtez-vous dès que possible en sécurité et laissez refroidir le moteur. Ne repartez pas.',
    },
    EspAsrSystemFault: {
      title: 'Défaut du contrôle de stabilité ou d’antipatinage',
      advice: 'La voiture peut déraper plus facilement : roulez prudemment et faites-la vérifier.',
    },
    FrontLeftFlashingIndicatorFault: {
      title: 'Défaut du clignotant avant gauche',
      advice: 'Remplacez l’ampoule ou faites vérifier le clignotant.',
    },
    FrontLeftFogLampsFault: {
      title: 'Défaut de l’antibrouillard avant gauche',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    FrontLeftParkingLampsFault: {
      title: 'Défaut du feu de position avant gauche',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    FrontRightFlashingIndicatorFault: {
      title: 'Défaut du clignotant avant droit',
      advice: 'Remplacez l’ampoule ou faites vérifier le clignotant.',
    },
    FrontRightFogLampsFault: {
      title: 'Défaut de l’antibrouillard avant droit',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    FrontRightParkingLampsFault: {
      title: 'Défaut du feu de position avant droit',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    FuelLevelLow: {
      title: 'Niveau de carburant bas',
      advice: 'Faites le plein bientôt.',
    },
    GearboxFault: {
      title: 'Défaut de boîte de vitesses',
      advice: 'Roulez calmement et faites vérifier la boîte rapidement.',
    },
    HeadlightsFault: {
      title: 'Défaut des projecteurs',
      advice: 'Remplacez l’ampoule ou faites vérifier les projecteurs avant de rouler de nuit.',
    },
    InstalledSpareWheelFault: {
      title: 'Roue de secours montée',
      advice:
        'Certaines aides sont coupées avec la roue de secours. Respectez sa vitesse limite et faites réparer le pneu.',
    },
    InterVehicleTimeMeasurementFault: {
      title: 'Défaut de l’alerte de distance',
      advice:
        'L’alerte de distance de sécurité peut ne pas fonctionner. Gardez vos distances et faites-la vérifier.',
    },
    LaneChangeAssistanceFault: {
      title: 'Défaut de l’aide au changement de voie',
      advice: 'Surveillez vous-même les angles morts et faites vérifier le système.',
    },
    LaneDepartureWarningSystemFault: {
      title: 'Défaut de l’alerte de franchissement de ligne',
      advice: 'La voiture ne vous avertira pas si vous sortez de votre voie. Faites vérifier le système.',
    },
    LeftBrakeLampFault: {
      title: 'Défaut du feu stop gauche',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu rapidement.',
    },
    LeftFrontDoorOpen: {
      title: 'Porte avant gauche ouverte',
      advice: 'Fermez la porte.',
    },
    LeftFrontDoorOpenLowSpeed: {
      title: 'Porte avant gauche ouverte en roulant',
      advice: 'Arrêtez-vous en sécurité et fermez la porte.',
    },
    LeftFrontTirePressurSensorFault: {
      title: 'Défaut du capteur du pneu avant gauche',
      advice: 'Ce pneu n’est pas surveillé : contrôlez sa pression vous-même et faites vérifier le capteur.',
    },
    LeftFrontTirePuncture: {
      title: 'Crevaison avant gauche',
      advice: 'Arrêtez-vous dès que possible en sécurité et changez ou réparez le pneu.',
    },
    LeftFrontTireUnderInflated: {
      title: 'Pneu avant gauche sous-gonflé',
      advice: 'Regonflez le pneu à la pression indiquée sur le montant de porte.',
    },
    LeftRearDoorOpen: {
      title: 'Porte arrière gauche ouverte',
      advice: 'Fermez la porte.',
    },
    LeftRearDoorOpenLowSpeed: {
      title: 'Porte arrière gauche ouverte en roulant',
      advice: 'Arrêtez-vous en sécurité et fermez la porte.',
    },
    LeftRearTirePressurSensorFault: {
      title: 'Défaut du capteur du pneu arrière gauche',
      advice: 'Ce pneu n’est pas surveillé : contrôlez sa pression vous-même et faites vérifier le capteur.',
    },
    LeftRearTirePuncture: {
      title: 'Crevaison arrière gauche',
      advice: 'Arrêtez-vous dès que possible en sécurité et changez ou réparez le pneu.',
    },
    LeftRearTireUnderInflated: {
      title: 'Pneu arrière gauche sous-gonflé',
      advice: 'Regonflez le pneu à la pression indiquée sur le montant de porte.',
    },
    LeftReverseLampFault: {
      title: 'Défaut du feu de recul gauche',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    OilLevelLow: {
      title: 'Niveau d’huile moteur bas',
      advice: 'Faites l’appoint d’huile rapidement, avec la qualité indiquée dans le carnet.',
    },
    ParkAssistSystemFault: {
      title: 'Défaut de l’aide au stationnement',
      advice:
        'Les radars ou la caméra peuvent ne pas vous avertir. Manœuvrez prudemment et faites-les vérifier.',
    },
    ParkingBrakeOrHillStartSystemFailure: {
      title: 'Défaillance du frein de stationnement ou de l’aide au démarrage en pente',
      advice: 'La voiture peut se mettre à rouler une fois garée. Ne repartez pas : faites-la réparer.',
    },
    ParticleFilterAdditiveLevelTooLow: {
      title: 'Niveau d’additif du filtre à particules bas',
      advice: 'Faites compléter l’additif rapidement pour éviter le colmatage du filtre.',
    },
    ParticleFilterFull: {
      title: 'Filtre à particules en colmatage',
      advice:
        'Roulez à allure régulière au-dessus de 60 km/h pendant environ 15 minutes ; si l’alerte reste, allez au garage.',
    },
    ParticleFilterRegenerating: {
      title: 'Filtre à particules en régénération',
      advice: 'Continuez à rouler à allure régulière jusqu’à la disparition du message.',
    },
    PowerSteeringFailure: {
      title: 'Défaillance de la direction assistée',
      advice: 'La direction est beaucoup plus dure. Arrêtez-vous en sécurité et ne repartez pas.',
    },
    PowerSteeringFault: {
      title: 'Défaut de la direction assistée',
      advice: 'La direction peut sembler plus dure. Roulez prudemment et faites-la vérifier rapidement.',
    },
    PreheatingPreventilationDeactivatedBatteryLow: {
      title: 'Préchauffage désactivé : batterie faible',
      advice: 'Rechargez la batterie ou roulez pour la recharger ; le préchauffage refonctionnera.',
    },
    PreheatingPreventilationDeactivatedClockUnset: {
      title: 'Préchauffage désactivé : horloge non réglée',
      advice: 'Réglez l’horloge de la voiture pour utiliser le préchauffage ou la préventilation programmés.',
    },
    PreheatingPreventilationDeactivatedFuelLevelLow: {
      title: 'Préchauffage désactivé : carburant bas',
      advice: 'Faites le plein pour utiliser à nouveau le préchauffage.',
    },
    RearLeftFlashingIndicatorFault: {
      title: 'Défaut du clignotant arrière gauche',
      advice: 'Remplacez l’ampoule ou faites vérifier le clignotant.',
    },
    RearLeftFogLampsFault: {
      title: 'Défaut de l’antibrouillard arrière gauche',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    RearLeftParkingLampsFault: {
      title: 'Défaut du feu de position arrière gauche',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    RearRightFlashingIndicatorFault: {
      title: 'Défaut du clignotant arrière droit',
      advice: 'Remplacez l’ampoule ou faites vérifier le clignotant.',
    },
    RearRightFogLampsFault: {
      title: 'Défaut de l’antibrouillard arrière droit',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    RearRightParkingLampsFault: {
      title: 'Défaut du feu de position arrière droit',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    RearWindowOpen: {
      title: 'Lunette arrière ouverte',
      advice: 'Fermez la lunette arrière.',
    },
    RearWindowOpenLowSpeed: {
      title: 'Lunette arrière ouverte en roulant',
      advice: 'Arrêtez-vous en sécurité et fermez la lunette arrière.',
    },
    ReplaceBrakePads: {
      title: 'Plaquettes de frein usées',
      advice: 'Faites remplacer les plaquettes de frein rapidement.',
    },
    ReplaceTheRemoteControlBattery: {
      title: 'Pile de la clé faible',
      advice: 'Remplacez la pile de la télécommande.',
    },
    RetractableRoofMechanismFault: {
      title: 'Défaut du toit escamotable',
      advice: 'N’actionnez pas le toit ; faites vérifier le mécanisme.',
    },
    RightBrakeLampFault: {
      title: 'Défaut du feu stop droit',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu rapidement.',
    },
    RightFrontDoorOpenLowSpeed: {
      title: 'Porte avant droite ouverte en roulant',
      advice: 'Arrêtez-vous en sécurité et fermez la porte.',
    },
    RightFrontDoorOpen: {
      title: 'Porte avant droite ouverte',
      advice: 'Fermez la porte.',
    },
    RightFrontTirePressurSensorFault: {
      title: 'Défaut du capteur du pneu avant droit',
      advice: 'Ce pneu n’est pas surveillé : contrôlez sa pression vous-même et faites vérifier le capteur.',
    },
    RightFrontTirePuncture: {
      title: 'Crevaison avant droite',
      advice: 'Arrêtez-vous dès que possible en sécurité et changez ou réparez le pneu.',
    },
    RightFrontTireUnderInflated: {
      title: 'Pneu avant droit sous-gonflé',
      advice: 'Regonflez le pneu à la pression indiquée sur le montant de porte.',
    },
    RightRearDoorOpen: {
      title: 'Porte arrière droite ouverte',
      advice: 'Fermez la porte.',
    },
    RightRearDoorOpenLowSpeed: {
      title: 'Porte arrière droite ouverte en roulant',
      advice: 'Arrêtez-vous en sécurité et fermez la porte.',
    },
    RightRearTirePressurSensorFault: {
      title: 'Défaut du capteur du pneu arrière droit',
      advice: 'Ce pneu n’est pas surveillé : contrôlez sa pression vous-même et faites vérifier le capteur.',
    },
    RightRearTirePuncture: {
      title: 'Crevaison arrière droite',
      advice: 'Arrêtez-vous dès que possible en sécurité et changez ou réparez le pneu.',
    },
    RightRearTireUnderInflated: {
      title: 'Pneu arrière droit sous-gonflé',
      advice: 'Regonflez le pneu à la pression indiquée sur le montant de porte.',
    },
    RightReverseLampFault: {
      title: 'Défaut du feu de recul droit',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    RiskOfIce: {
      title: 'Risque de verglas',
      advice: 'La route peut être glissante : ralentissez et augmentez les distances.',
    },
    RoofOperationNotPossibleSpeedUnknown: {
      title: 'Toit bloqué : vitesse inconnue',
      advice: 'Arrêtez la voiture avant d’ouvrir ou de fermer le toit.',
    },
    RoofOperationNotPossibleTooHighTemp: {
      title: 'Toit bloqué : température trop élevée',
      advice: 'Attendez que le mécanisme refroidisse, puis réessayez.',
    },
    ShiftToPark: {
      title: 'Passez en position P',
      advice: 'Placez le sélecteur sur P avant de quitter la voiture.',
    },
    SteeringLockFault: {
      title: 'Défaut de l’antivol de direction',
      advice: 'La voiture peut mal démarrer ou mal se verrouiller. Faites vérifier l’antivol rapidement.',
    },
    SuspensionFault: {
      title: 'Défaut de suspension',
      advice: 'Roulez calmement et faites vérifier la suspension rapidement.',
    },
    SuspensionFaultLimitSpeed: {
      title: 'Défaut de suspension : limitez votre vitesse',
      advice: 'Restez sous 90 km/h et faites vérifier la suspension rapidement.',
    },
    SuspensionFaultRepaireVehicle: {
      title: 'Défaillance de suspension : réparation nécessaire',
      advice: 'Ne repartez pas : faites réparer la voiture.',
    },
    TireUnderInflationDetectionSystemFault: {
      title: 'Défaut de la surveillance de pression des pneus',
      advice:
        'Les pneus ne sont pas surveillés : contrôlez leurs pressions vous-même et faites vérifier le système.',
    },
    TooManyRoofOperation: {
      title: 'Toit trop sollicité',
      advice: 'Laissez reposer le mécanisme quelques minutes avant de l’utiliser à nouveau.',
    },
    TrailerConnectionFault: {
      title: 'Défaut de connexion de la remorque',
      advice: 'Vérifiez la prise de la remorque et ses feux avant de repartir.',
    },
    TrunkOrHoodOpen: {
      title: 'Coffre ou capot ouvert',
      advice: 'Fermez le coffre ou le capot.',
    },
    TrunkOrHoodOpenLowSpeed: {
      title: 'Coffre ou capot ouvert en roulant',
      advice: 'Arrêtez-vous en sécurité et fermez-le.',
    },
    WaterInTheDieselFuelFilter: {
      title: 'Présence d’eau dans le filtre à gazole',
      advice: 'Faites purger le filtre rapidement : l’eau peut endommager l’injection.',
    },
    checkTheBrakeLamp: {
      title: 'Défaut des feux stop',
      advice: 'Remplacez l’ampoule ou faites vérifier les feux stop rapidement.',
    },
    roofOperationImpossibleStartEngine: {
      title: 'Toit bloqué : démarrez le moteur',
      advice: 'Démarrez le moteur, puis actionnez le toit.',
    },
    roofOperationImpossibleApplyParkingBreak: {
      title: 'Toit bloqué : serrez le frein de stationnement',
      advice: 'Serrez le frein de stationnement, puis actionnez le toit.',
    },
    hybridSystemFault: {
      title: 'Défaut du système hybride',
      advice: 'Faites vérifier le système hybride rapidement.',
    },
    hybridSystemFaultRepairedTheVehicle: {
      title: 'Défaillance du système hybride : réparation nécessaire',
      advice: 'Ne repartez pas : faites réparer la voiture.',
    },
    electricModeNotAvailable: {
      title: 'Mode électrique indisponible',
      advice:
        'La voiture roule pour l’instant sur son moteur thermique seul. Si cela dure, faites-la vérifier.',
    },
    wheelPressureFault: {
      title: 'Défaut de pression des pneus',
      advice: 'Contrôlez la pression des quatre pneus.',
    },
    checkSideLamps: {
      title: 'Défaut des feux de position',
      advice: 'Remplacez l’ampoule ou faites vérifier les feux de position.',
    },
    frontFoglightFault: {
      title: 'Défaut d’un antibrouillard avant',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    rearFoglightFault: {
      title: 'Défaut d’un antibrouillard arrière',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    checkDirectionIndicator: {
      title: 'Défaut d’un clignotant',
      advice: 'Remplacez l’ampoule ou faites vérifier les clignotants.',
    },
    checkReversingLamp: {
      title: 'Défaut d’un feu de recul',
      advice: 'Remplacez l’ampoule ou faites vérifier le feu.',
    },
    adjustTyrePressure: {
      title: 'Ajustez la pression des pneus',
      advice: 'Gonflez les pneus aux pressions indiquées sur le montant de porte.',
    },
    directionalHeadlampsFault: {
      title: 'Défaut des projecteurs directionnels',
      advice: 'Les projecteurs ne suivent plus les virages. Faites-les vérifier.',
    },
    tyreUnderInflation: {
      title: 'Pneu sous-gonflé',
      advice: 'Contrôlez et regonflez les pneus aux pressions indiquées sur le montant de porte.',
    },
    tupUpAdBlue: {
      title: 'Faites l’appoint d’AdBlue',
      advice: 'Complétez l’AdBlue bientôt : le moteur ne redémarrera plus une fois le réservoir vide.',
    },
    longPushToUnlockTankFault: {
      title: 'Défaut d’ouverture de la trappe à carburant',
      advice: 'La trappe peut ne pas s’ouvrir. Faites-la vérifier avant votre prochain plein.',
    },
  },
};
