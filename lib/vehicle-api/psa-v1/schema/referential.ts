import 'server-only';
import { z } from 'zod';

// Catalogues (vehicle-apis.md §7–8), localized by `locale`/`brand`: `GET /referential/alert`,
// `GET /referential/maintenance` and `GET /referential/ecodriving`. Each row is a whole catalogue entry,
// so every field is required; codes must be non-empty, texts may be empty (an entry with no advice).

const code = z.string().min(1);

/** A row of the alert or maintenance catalogue: an indicator and the group ("rgrp") it belongs to. */
export const psaV1IndicatorSchema = z.object({
  indicatorCode: code,
  indicatorLabel: z.string(),
  rgrpCode: code,
  rgrpLabel: z.string(),
});
export type PsaV1Indicator = z.infer<typeof psaV1IndicatorSchema>;

export const psaV1AlertReferentialSchema = z.array(psaV1IndicatorSchema);
export type PsaV1AlertReferential = z.infer<typeof psaV1AlertReferentialSchema>;

export const psaV1MaintenanceReferentialSchema = z.array(psaV1IndicatorSchema);
export type PsaV1MaintenanceReferential = z.infer<typeof psaV1MaintenanceReferentialSchema>;

/**
 * A row of the eco-driving catalogue: for a mark type (`drivingMark`, `braking`…) and a level, the texts an
 * evaluation shows (the `…Label {evaluation, advice, category, label}` of the evaluation bodies).
 */
export const psaV1EcoDrivingReferenceSchema = z.object({
  edMarkType: code,
  edMarkLabel: z.string(),
  edCategoryCode: code,
  edCategoryLabel: z.string(),
  edEvaluation: z.string(),
  edAdvice: z.string(),
  /** Text in the spec; the level scale is not documented. */
  edLevel: code,
});
export type PsaV1EcoDrivingReference = z.infer<typeof psaV1EcoDrivingReferenceSchema>;

export const psaV1EcoDrivingReferentialSchema = z.array(psaV1EcoDrivingReferenceSchema);
export type PsaV1EcoDrivingReferential = z.infer<typeof psaV1EcoDrivingReferentialSchema>;
