import type { AlertType } from '../../fleet/alerts';

// What v1 writes for an alert (spec fetchMaintenanceAlertByVehicle, vehicle-apis.md §7): a title
// (`alert`), an advice (`advise`) and a group (`category`), in the caller's language, plus the
// same title and group in GET /referential/alert (`indicatorLabel`, `rgrpLabel`). The spec gives
// no texts; these are written from the 4.17 AlertMsgEnum meaning and the severity of each type
// (fleet/alerts.ts: Critical = do not drive on, Warning = fix soon, Information = when convenient).
// [infer] French for `fr_*` locales, English otherwise, as labels.ts.

export type Texts = { en: string; fr: string };

/** `Texts` in a locale: French for `fr_*`, English for anything else. */
export const textIn = (texts: Texts, locale: string): string =>
  locale.startsWith('fr_') ? texts.fr : texts.en;

/** The referential's groups (`rgrpCode`), in the order GET /referential/alert lists them. */
export const ALERT_GROUPS = {
  fuel: { en: 'Fuel', fr: 'Carburant' },
  driving: { en: 'Driving conditions', fr: 'Conditions de circulation' },
  brakes: { en: 'Brakes', fr: 'Freinage' },
  tyres: { en: 'Tyres', fr: 'Pneumatiques' },
  engine: { en: 'Engine and emissions', fr: 'Moteur et dépollution' },
  electric: { en: 'Electrical system and charging', fr: 'Système électrique et recharge' },
  openings: { en: 'Doors and openings', fr: 'Ouvrants' },
  equipment: { en: 'Equipment', fr: 'Équipements' },
} as const satisfies Record<string, Texts>;

export type AlertGroup = keyof typeof ALERT_GROUPS;

export type AlertTexts = { group: AlertGroup; title: Texts; advice: Texts };

type Corner = 'LeftFront' | 'RightFront' | 'LeftRear' | 'RightRear';

/** A wheel in English and French (masculine, for "pneu"), and a door (feminine, for "porte"). */
const CORNERS: Record<Corner, { en: string; wheelFr: string; doorFr: string }> = {
  LeftFront: { en: 'front left', wheelFr: 'avant gauche', doorFr: 'avant gauche' },
  RightFront: { en: 'front right', wheelFr: 'avant droit', doorFr: 'avant droite' },
  LeftRear: { en: 'rear left', wheelFr: 'arrière gauche', doorFr: 'arrière gauche' },
  RightRear: { en: 'rear right', wheelFr: 'arrière droit', doorFr: 'arrière droite' },
};

const capital = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function underInflated(corner: Corner): AlertTexts {
  const { en, wheelFr } = CORNERS[corner];
  return {
    group: 'tyres',
    title: { en: `${capital(en)} tyre under-inflated`, fr: `Pneu ${wheelFr} sous-gonflé` },
    advice: {
      en: `Check the ${en} tyre’s pressure with the tyres cold and inflate it to the value on the label in the driver’s door frame, then reset the under-inflation detection. An under-inflated tyre wears faster and raises consumption.`,
      fr: `Contrôlez à froid la pression du pneu ${wheelFr} et regonflez-le à la valeur indiquée sur l’étiquette de la feuillure de porte conducteur, puis réinitialisez la détection de sous-gonflage. Un pneu sous-gonflé s’use plus vite et augmente la consommation.`,
    },
  };
}

function puncture(corner: Corner): AlertTexts {
  const { en, wheelFr } = CORNERS[corner];
  return {
    group: 'tyres',
    title: { en: `${capital(en)} tyre puncture`, fr: `Crevaison du pneu ${wheelFr}` },
    advice: {
      en: `The ${en} tyre is losing pressure fast. Slow down and stop as soon as it is safe, then fit the spare wheel or use the repair kit. Do not drive on a flat tyre.`,
      fr: `Le pneu ${wheelFr} perd rapidement sa pression. Ralentissez et arrêtez-vous dès que possible en sécurité, puis montez la roue de secours ou utilisez le kit de réparation. Ne roulez pas avec un pneu à plat.`,
    },
  };
}

function doorOpen(corner: Corner): AlertTexts {
  const { en, doorFr } = CORNERS[corner];
  return {
    group: 'openings',
    title: { en: `${capital(en)} door open`, fr: `Porte ${doorFr} ouverte` },
    advice: {
      en: `The ${en} door was left open or not fully shut after the car was parked. Close it firmly and lock the car.`,
      fr: `La porte ${doorFr} est restée ouverte ou mal fermée après le stationnement. Fermez-la correctement et verrouillez le véhicule.`,
    },
  };
}

/** Every simulated alert type's texts; the Record type makes a new type without texts a compile error. */
export const ALERT_TEXTS: Record<AlertType, AlertTexts> = {
  FuelLevelLow: {
    group: 'fuel',
    title: { en: 'Low fuel level', fr: 'Niveau de carburant bas' },
    advice: {
      en: 'The tank is down to its reserve (about 12 %). Refuel at the next station: running it dry can damage the fuel pump and the catalytic converter.',
      fr: 'Le réservoir est sur la réserve (environ 12 %). Faites le plein à la prochaine station : rouler jusqu’à la panne sèche peut endommager la pompe à carburant et le catalyseur.',
    },
  },
  RiskOfIce: {
    group: 'driving',
    title: { en: 'Risk of ice', fr: 'Risque de verglas' },
    advice: {
      en: 'The outside temperature is below 3 °C: the road may be icy, above all on bridges and in the shade. Slow down, keep a longer distance and brake gently.',
      fr: 'La température extérieure est inférieure à 3 °C : la chaussée peut être verglacée, surtout sur les ponts et à l’ombre. Ralentissez, augmentez les distances de sécurité et freinez en douceur.',
    },
  },
  ReplaceBrakePads: {
    group: 'brakes',
    title: { en: 'Brake pads worn', fr: 'Plaquettes de frein usées' },
    advice: {
      en: 'The pad wear sensor has triggered. Book a garage visit in the coming days to replace the pads before they score the discs; braking distances may already be longer.',
      fr: 'Le témoin d’usure des plaquettes s’est allumé. Prenez rendez-vous au garage dans les prochains jours pour les remplacer avant qu’elles n’abîment les disques ; les distances de freinage peuvent déjà être allongées.',
    },
  },
  LeftFrontTireUnderInflated: underInflated('LeftFront'),
  RightFrontTireUnderInflated: underInflated('RightFront'),
  LeftRearTireUnderInflated: underInflated('LeftRear'),
  RightRearTireUnderInflated: underInflated('RightRear'),
  LeftFrontTirePuncture: puncture('LeftFront'),
  RightFrontTirePuncture: puncture('RightFront'),
  LeftRearTirePuncture: puncture('LeftRear'),
  RightRearTirePuncture: puncture('RightRear'),
  OilLevelLow: {
    group: 'engine',
    title: { en: 'Engine oil level low', fr: 'Niveau d’huile moteur bas' },
    advice: {
      en: 'Park on level ground, let the engine cool for a few minutes and read the dipstick; top up with the oil grade given in the service booklet. If the warning soon returns, have the engine checked for a leak.',
      fr: 'Garez-vous sur un sol plat, laissez refroidir le moteur quelques minutes et lisez la jauge ; faites l’appoint avec l’huile préconisée dans le carnet d’entretien. Si l’alerte revient vite, faites rechercher une fuite.',
    },
  },
  AdBlueFault: {
    group: 'engine',
    title: { en: 'AdBlue system fault', fr: 'Défaut du système AdBlue' },
    advice: {
      en: 'Check the AdBlue level and top it up if needed. If the warning stays on, have the emissions system checked soon: once the countdown on the dashboard runs out, the engine will not restart.',
      fr: 'Vérifiez le niveau d’AdBlue et complétez-le si besoin. Si l’alerte persiste, faites contrôler rapidement le système de dépollution : à la fin du décompte affiché au combiné, le moteur ne redémarrera plus.',
    },
  },
  EngineFault: {
    group: 'engine',
    title: { en: 'Engine fault', fr: 'Défaut moteur' },
    advice: {
      en: 'Stop as soon as it is safe and switch the engine off. Do not drive on: call a dealer or roadside assistance to have the car checked.',
      fr: 'Arrêtez-vous dès que possible en sécurité et coupez le moteur. Ne reprenez pas la route : appelez le réseau ou l’assistance pour faire contrôler le véhicule.',
    },
  },
  ElectricTractionSystemFault: {
    group: 'electric',
    title: { en: 'Electric drive system fault', fr: 'Défaut de la chaîne de traction électrique' },
    advice: {
      en: 'Power may be limited. Drive gently to a safe place and have the electric drive system checked by a dealer as soon as possible.',
      fr: 'La puissance peut être limitée. Roulez prudemment jusqu’à un endroit sûr et faites contrôler la chaîne de traction électrique par le réseau au plus vite.',
    },
  },
  BatteryChargeOrElectricalCircuitSystemFailure: {
    group: 'electric',
    title: {
      en: '12 V battery or charging circuit fault',
      fr: 'Défaut de la batterie 12 V ou du circuit de charge',
    },
    advice: {
      en: 'The 12 V battery is not being charged properly. Avoid repeated stops and restarts, switch off heavy consumers (heated seats, rear demister) and have the battery and its charging circuit checked soon.',
      fr: 'La batterie 12 V n’est pas correctement rechargée. Évitez les arrêts et redémarrages répétés, coupez les gros consommateurs (sièges chauffants, dégivrage arrière) et faites contrôler rapidement la batterie et son circuit de charge.',
    },
  },
  ChargingFailure: {
    group: 'electric',
    title: { en: 'Charging failure', fr: 'Échec de la recharge' },
    advice: {
      en: 'The car stopped charging. Check that the cable is firmly plugged in at both ends and that the charging point works, then restart the charge; try another charging point if it fails again.',
      fr: 'La recharge s’est interrompue. Vérifiez que le câble est bien branché aux deux extrémités et que la borne fonctionne, puis relancez la recharge ; essayez une autre borne si l’échec se répète.',
    },
  },
  AddWasherFluid: {
    group: 'equipment',
    title: { en: 'Washer fluid low', fr: 'Niveau de lave-glace bas' },
    advice: {
      en: 'Top up the windscreen washer reservoir, with a winter fluid that will not freeze when temperatures drop below zero.',
      fr: 'Complétez le réservoir de lave-glace, avec un liquide hiver qui ne gèle pas lorsque la température passe sous zéro.',
    },
  },
  ReplaceTheRemoteControlBattery: {
    group: 'equipment',
    title: { en: 'Remote control battery low', fr: 'Pile de la télécommande faible' },
    advice: {
      en: 'Replace the key’s battery (usually a CR2032 coin cell) soon. Until then the car still opens with the emergency key blade.',
      fr: 'Remplacez prochainement la pile de la clé (généralement une pile bouton CR2032). En attendant, le véhicule s’ouvre avec la clé de secours intégrée.',
    },
  },
  LeftFrontDoorOpen: doorOpen('LeftFront'),
  RightFrontDoorOpen: doorOpen('RightFront'),
  LeftRearDoorOpen: doorOpen('LeftRear'),
  RightRearDoorOpen: doorOpen('RightRear'),
  TrunkOrHoodOpen: {
    group: 'openings',
    title: { en: 'Boot or bonnet open', fr: 'Coffre ou capot ouvert' },
    advice: {
      en: 'The boot or the bonnet is not shut while the car is parked. Close it firmly and lock the car.',
      fr: 'Le coffre ou le capot n’est pas fermé alors que le véhicule est stationné. Fermez-le correctement et verrouillez le véhicule.',
    },
  },
};
