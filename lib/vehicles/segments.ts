// Market segment of the models the supported makers sell (Stellantis: Peugeot, Citroën, DS,
// Opel), for peer groups: a driver is compared with drivers of similar cars (Geotab groups by
// vehicle class, docs/product-anchors.md c.4). The makers' APIs do not say; these are the
// segments under which the makers themselves list the models. A model not listed is "other".
// Pure and isomorphic: the leaderboard pages name the groups too.

export const SEGMENTS = ['B', 'SUV-B', 'C', 'SUV-C', 'D', 'other'] as const;
export type Segment = (typeof SEGMENTS)[number];

const SEGMENT_OF_MODEL: Readonly<Record<string, Segment>> = {
  '208': 'B',
  'e-208': 'B',
  c3: 'B',
  'ë-c3': 'B',
  'e-c3': 'B',
  corsa: 'B',
  'corsa-e': 'B',
  '2008': 'SUV-B',
  'e-2008': 'SUV-B',
  'c3 aircross': 'SUV-B',
  'ds 3': 'SUV-B',
  'ds 3 crossback': 'SUV-B',
  mokka: 'SUV-B',
  'mokka-e': 'SUV-B',
  '308': 'C',
  'e-308': 'C',
  c4: 'C',
  'ë-c4': 'C',
  'e-c4': 'C',
  'c4 x': 'C',
  'ds 4': 'C',
  astra: 'C',
  'astra electric': 'C',
  '3008': 'SUV-C',
  'e-3008': 'SUV-C',
  '5008': 'SUV-C',
  'c5 aircross': 'SUV-C',
  'ds 7': 'SUV-C',
  'ds 7 crossback': 'SUV-C',
  grandland: 'SUV-C',
  '508': 'D',
  'c5 x': 'D',
  'ds 9': 'D',
  insignia: 'D',
};

export function segmentOf(model: string): Segment {
  return SEGMENT_OF_MODEL[model.trim().toLowerCase()] ?? 'other';
}
