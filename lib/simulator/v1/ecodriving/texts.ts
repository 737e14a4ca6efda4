import { CRITERIA } from './trip-evaluation';

// The words of the eco-driving evaluation (vehicle-apis.md §8): every value of an evaluation has a
// `<name>Label` sibling `{ evaluation, advice, category, label }`, and GET /referential/ecodriving
// lists the same texts as `{ edMarkType, edMarkLabel, edCategoryCode, edCategoryLabel,
// edEvaluation, edAdvice, edLevel }`. The spec gives only the field names; the simulator reads
// them as one catalogue [infer]:
//   edMarkType = the value's name (`acceleration`)      → label    = edMarkLabel ("Acceleration")
//   edCategoryCode = its group (`DRIVING`)              → category = edCategoryLabel ("Driving")
//   edLevel = the level the value falls in (`good`)     → evaluation = edEvaluation, advice = edAdvice
// so a client can join any `…Label` to its referential row by (edMarkType, edLevel). French for
// `fr_*` locales, English otherwise, as labels.ts.

type Texts = { en: string; fr: string };
type LevelTexts = { evaluation: Texts; advice: Texts };

/** The trip-level values, then one per criterion of the evaluation (trip-evaluation.ts), in its order. */
export const MARK_TYPES = ['drivingMark', 'drivingAttitude', 'roadProfile', ...CRITERIA] as const;
export type MarkType = (typeof MARK_TYPES)[number];

/** Levels of a 0–10 mark; `na` for an engine criterion of an electric car. */
export type MarkLevel = 'good' | 'fair' | 'improve' | 'na';
/** drivingAttitude: 1 calm, 2 normal, 3 dynamic, 4 aggressive (the value, as the level's text). */
export type AttitudeLevel = '1' | '2' | '3' | '4';
/** roadProfile: 1 urban, 2 mixed, 3 extra-urban, 4 motorway. */
export type RoadProfileLevel = '1' | '2' | '3' | '4';
export type Level = MarkLevel | AttitudeLevel | RoadProfileLevel;

type CategoryCode = 'GLOBAL' | 'DRIVING' | 'ENGINE';

const CATEGORIES: Record<CategoryCode, Texts> = {
  GLOBAL: { en: 'Overall evaluation', fr: 'Évaluation globale' },
  DRIVING: { en: 'Driving', fr: 'Conduite' },
  ENGINE: { en: 'Engine use', fr: 'Utilisation du moteur' },
};

const t = (en: string, fr: string): Texts => ({ en, fr });
const level = (evaluation: Texts, advice: Texts): LevelTexts => ({ evaluation, advice });

/** The engine criteria of an electric car (evaluation-body.ts answers them as 10, level `na`). */
const NOT_APPLICABLE = (why: Texts) =>
  level(t(`Not applicable: ${why.en}`, `Sans objet : ${why.fr}`), t('Nothing to do.', 'Rien à faire.'));

type MarkTexts = { label: Texts; category: CategoryCode; levels: Partial<Record<Level, LevelTexts>> };

const CATALOGUE: Record<MarkType, MarkTexts> = {
  drivingMark: {
    label: t('Eco-driving mark', 'Note d’éco-conduite'),
    category: 'GLOBAL',
    levels: {
      good: level(
        t('Economical driving.', 'Conduite économe.'),
        t(
          'Keep it up: your driving saves fuel and wear.',
          'Continuez : votre conduite économise carburant et usure.',
        ),
      ),
      fair: level(
        t('Fairly economical driving.', 'Conduite assez économe.'),
        t(
          'Look at the detailed marks: the lowest shows where to save most.',
          'Regardez le détail : la note la plus basse montre où économiser le plus.',
        ),
      ),
      improve: level(
        t('Costly driving.', 'Conduite coûteuse.'),
        t(
          'Smoother launches and earlier lift-offs would cut your consumption markedly.',
          'Des démarrages plus doux et des levers de pied plus précoces réduiraient nettement votre consommation.',
        ),
      ),
    },
  },
  drivingAttitude: {
    label: t('Driving attitude', 'Attitude de conduite'),
    category: 'GLOBAL',
    levels: {
      '1': level(
        t('Calm driving.', 'Conduite calme.'),
        t('Your attitude suits eco-driving.', 'Votre attitude convient à l’éco-conduite.'),
      ),
      '2': level(
        t('Normal driving.', 'Conduite normale.'),
        t('Anticipate a little more to drive calmly.', 'Anticipez un peu plus pour conduire calmement.'),
      ),
      '3': level(
        t('Dynamic driving.', 'Conduite dynamique.'),
        t(
          'Accelerate and brake more gently: keep a longer distance to the car ahead.',
          'Accélérez et freinez plus doucement : gardez plus de distance avec le véhicule devant.',
        ),
      ),
      '4': level(
        t('Aggressive driving.', 'Conduite agressive.'),
        t(
          'Hard launches and late braking cost fuel, brakes and tyres: ease off.',
          'Les démarrages vifs et les freinages tardifs coûtent carburant, freins et pneus : levez le pied.',
        ),
      ),
    },
  },
  roadProfile: {
    label: t('Road profile', 'Profil de route'),
    category: 'GLOBAL',
    levels: {
      '1': level(
        t('Mostly urban roads.', 'Surtout en ville.'),
        t(
          'In town, anticipate lights and junctions to avoid stopping.',
          'En ville, anticipez feux et carrefours pour éviter de vous arrêter.',
        ),
      ),
      '2': level(
        t('Mixed roads.', 'Parcours mixte.'),
        t(
          'Adapt your speed early when the road changes.',
          'Adaptez tôt votre vitesse quand la route change.',
        ),
      ),
      '3': level(
        t('Mostly extra-urban roads.', 'Surtout sur route.'),
        t(
          'On open roads, a steady speed costs least: let the car roll towards junctions.',
          'Sur route, une vitesse régulière coûte le moins : laissez la voiture rouler vers les carrefours.',
        ),
      ),
      '4': level(
        t('Mostly motorways.', 'Surtout sur autoroute.'),
        t(
          'On the motorway, 10 km/h less saves about a litre per 100 km.',
          'Sur autoroute, 10 km/h de moins économisent environ un litre aux 100 km.',
        ),
      ),
    },
  },
  acceleration: {
    label: t('Acceleration', 'Accélérations'),
    category: 'DRIVING',
    levels: {
      good: level(
        t('Gentle, progressive accelerations.', 'Accélérations douces et progressives.'),
        t('Keep accelerating smoothly.', 'Continuez à accélérer en douceur.'),
      ),
      fair: level(
        t('Some lively accelerations.', 'Quelques accélérations vives.'),
        t('Press the pedal more progressively.', 'Enfoncez la pédale plus progressivement.'),
      ),
      improve: level(
        t('Hard accelerations.', 'Accélérations brutales.'),
        t(
          'Hard launches burn fuel for little time gained: accelerate gently.',
          'Les démarrages brutaux brûlent du carburant pour peu de temps gagné : accélérez doucement.',
        ),
      ),
    },
  },
  braking: {
    label: t('Braking', 'Freinages'),
    category: 'DRIVING',
    levels: {
      good: level(
        t('Smooth braking.', 'Freinages doux.'),
        t('Keep braking early and gently.', 'Continuez à freiner tôt et en douceur.'),
      ),
      fair: level(
        t('Some firm braking.', 'Quelques freinages appuyés.'),
        t('Brake earlier and more gently.', 'Freinez plus tôt et plus doucement.'),
      ),
      improve: level(
        t('Hard braking.', 'Freinages brusques.'),
        t(
          'Every hard stop wastes the energy of the last acceleration: look further ahead.',
          'Chaque freinage brusque gaspille l’énergie de la dernière accélération : regardez plus loin.',
        ),
      ),
    },
  },
  engineSpeed: {
    label: t('Engine speed', 'Régime moteur'),
    category: 'ENGINE',
    levels: {
      good: level(
        t('Gear changes at low engine speed.', 'Changements de rapport à bas régime.'),
        t('Keep shifting up early.', 'Continuez à passer les rapports tôt.'),
      ),
      fair: level(
        t('Engine sometimes revved high.', 'Moteur parfois poussé dans les tours.'),
        t(
          'Shift up around 2,000–2,500 rpm and follow the gear shift indicator.',
          'Passez le rapport supérieur vers 2 000–2 500 tr/min et suivez l’indicateur de changement de rapport.',
        ),
      ),
      improve: level(
        t('Engine often revved high.', 'Moteur souvent poussé dans les tours.'),
        t(
          'High revs cost fuel: shift up sooner and cruise in the highest gear.',
          'Les hauts régimes coûtent du carburant : passez plus tôt le rapport supérieur et roulez sur le rapport le plus élevé.',
        ),
      ),
      na: NOT_APPLICABLE(
        t('an electric car has no gears to shift.', 'une voiture électrique n’a pas de rapports à passer.'),
      ),
    },
  },
  stopAndStart: {
    label: t('Stop & Start', 'Stop & Start'),
    category: 'ENGINE',
    levels: {
      good: level(
        t('Little idling.', 'Peu de ralenti.'),
        t('Keep switching off when you wait.', 'Continuez à couper le moteur quand vous attendez.'),
      ),
      fair: level(
        t('Some idling.', 'Un peu de ralenti.'),
        t(
          'Let Stop & Start work and do not warm the engine up at a standstill.',
          'Laissez agir le Stop & Start et ne faites pas chauffer le moteur à l’arrêt.',
        ),
      ),
      improve: level(
        t('Much idling.', 'Beaucoup de ralenti.'),
        t(
          'Switch the engine off for any stop longer than a minute; drive off straight away.',
          'Coupez le moteur pour tout arrêt de plus d’une minute ; partez dès le démarrage.',
        ),
      ),
      na: NOT_APPLICABLE(
        t('an electric motor does not idle.', 'un moteur électrique ne tourne pas au ralenti.'),
      ),
    },
  },
  speed: {
    label: t('Speed', 'Vitesse'),
    category: 'DRIVING',
    levels: {
      good: level(
        t('Speed limits respected.', 'Limitations de vitesse respectées.'),
        t('Keep a steady speed within the limits.', 'Gardez une vitesse régulière dans les limites.'),
      ),
      fair: level(
        t('Sometimes above the limit.', 'Parfois au-dessus de la limite.'),
        t(
          'Use the speed limiter or cruise control to stay within the limits.',
          'Utilisez le limiteur ou le régulateur de vitesse pour rester dans les limites.',
        ),
      ),
      improve: level(
        t('Often above the limit.', 'Souvent au-dessus de la limite.'),
        t(
          'Speeding costs fuel and safety: drive at the posted limit.',
          'Les excès de vitesse coûtent carburant et sécurité : roulez à la vitesse autorisée.',
        ),
      ),
    },
  },
  slope: {
    label: t('Anticipation and slopes', 'Anticipation et pentes'),
    category: 'DRIVING',
    levels: {
      good: level(
        t('Good use of momentum.', 'Bonne utilisation de l’élan.'),
        t(
          'Keep lifting off early before stops and down slopes.',
          'Continuez à lever le pied tôt avant les arrêts et dans les descentes.',
        ),
      ),
      fair: level(
        t('Momentum partly used.', 'Élan en partie utilisé.'),
        t(
          'Lift off earlier and let engine braking slow you down.',
          'Levez le pied plus tôt et laissez le frein moteur vous ralentir.',
        ),
      ),
      improve: level(
        t('Late slowing down.', 'Ralentissements tardifs.'),
        t(
          'Look further ahead: lifting off early costs nothing, braking late wastes energy.',
          'Regardez plus loin : lever le pied tôt ne coûte rien, freiner tard gaspille de l’énergie.',
        ),
      ),
    },
  },
  coldTrips: {
    label: t('Cold engine trips', 'Trajets moteur froid'),
    category: 'ENGINE',
    levels: {
      good: level(
        t('Engine mostly warm.', 'Moteur le plus souvent chaud.'),
        t('Keep grouping your errands.', 'Continuez à regrouper vos déplacements.'),
      ),
      fair: level(
        t('Some trips on a cold engine.', 'Quelques trajets moteur froid.'),
        t(
          'Group short errands into one trip, while the engine is warm.',
          'Regroupez les petits déplacements en un trajet, moteur chaud.',
        ),
      ),
      improve: level(
        t('Mostly short trips on a cold engine.', 'Surtout des trajets courts moteur froid.'),
        t(
          'A cold engine uses much more fuel: walk or cycle for the shortest trips.',
          'Un moteur froid consomme beaucoup plus : marchez ou pédalez pour les trajets les plus courts.',
        ),
      ),
      na: NOT_APPLICABLE(
        t('an electric motor needs no warming up.', 'un moteur électrique n’a pas besoin de chauffer.'),
      ),
    },
  },
};

const pick = (texts: Texts, locale: string) => (locale.startsWith('fr_') ? texts.fr : texts.en);

export type EcoLabel = { evaluation: string; advice: string; category: string; label: string };

/** The `<markType>Label` of a value at a level, in the caller's language. */
export function ecoLabel(markType: MarkType, levelCode: Level, locale: string): EcoLabel {
  const entry = CATALOGUE[markType];
  const texts = entry.levels[levelCode];
  if (!texts) throw new Error(`no text for ${markType} at level ${levelCode}`);
  return {
    evaluation: pick(texts.evaluation, locale),
    advice: pick(texts.advice, locale),
    category: pick(CATEGORIES[entry.category], locale),
    label: pick(entry.label, locale),
  };
}

export type ReferentialRow = {
  edMarkType: string;
  edMarkLabel: string;
  edCategoryCode: string;
  edCategoryLabel: string;
  edEvaluation: string;
  edAdvice: string;
  edLevel: string;
};

/** GET /referential/ecodriving: every (mark type, level) with its texts. */
export function referentialRows(locale: string): ReferentialRow[] {
  const rows: ReferentialRow[] = [];
  for (const markType of MARK_TYPES) {
    const entry = CATALOGUE[markType];
    for (const [levelCode, texts] of Object.entries(entry.levels)) {
      if (!texts) continue;
      rows.push({
        edMarkType: markType,
        edMarkLabel: pick(entry.label, locale),
        edCategoryCode: entry.category,
        edCategoryLabel: pick(CATEGORIES[entry.category], locale),
        edEvaluation: pick(texts.evaluation, locale),
        edAdvice: pick(texts.advice, locale),
        edLevel: levelCode,
      });
    }
  }
  return rows;
}
