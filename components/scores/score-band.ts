// Colour bands for a score, Renault's eco-driving bands (docs/product-anchors.md c.5): 75 and
// above calm, 45 to 75 normal, below 45 dynamic.

export type ScoreBand = 'calm' | 'normal' | 'dynamic';

export const CALM_FROM = 75;
export const DYNAMIC_BELOW = 45;

export function bandOf(score: number): ScoreBand {
  if (score >= CALM_FROM) return 'calm';
  if (score >= DYNAMIC_BELOW) return 'normal';
  return 'dynamic';
}

export const BAND_TEXT: Record<ScoreBand, string> = {
  calm: 'text-ok',
  normal: 'text-warn',
  dynamic: 'text-danger',
};

export const BAND_BAR: Record<ScoreBand, string> = {
  calm: 'bg-ok',
  normal: 'bg-warn',
  dynamic: 'bg-danger',
};
