import 'server-only';
import { z } from 'zod';
import {
  psaV1DayNumberSchema,
  psaV1LabelledObjectSchema,
  psaV1MonthNumberSchema,
  psaV1NumberSchema,
  psaV1TripIdSchema,
  psaV1VehicleFields,
} from './common';

// Eco-driving evaluations, the blog's "Correlation" (vehicle-apis.md §8). Five body shapes:
// - all trips: `GET /ecodriving/evaluation/get/{vin}`, `POST /ecodriving/evaluation/list` (array);
// - one trip: `…/pertrip/{vin}/{tripid}`, `…/lasttrip/{vin}`, `…/daytrips/{vin}?day=` (array), with `tripId`
//   and a `duration`;
// - per day: `…/trip/day/{vin}?fromday&today` and its POST list, arrays with `duration` + `dateAggr`;
// - per month: `…/trip/month/{vin}?frommonth&tomonth` and its POST list, the same.
// Every mark has a localized `…Label {evaluation, advice, category, label}`.

/** The texts shown with a mark. */
export const psaV1EvaluationLabelSchema = z.object({
  evaluation: z.string(),
  advice: z.string(),
  category: z.string(),
  label: z.string(),
});
export type PsaV1EvaluationLabel = z.infer<typeof psaV1EvaluationLabelSchema>;

/** A mark. The scale is undocumented (§8); 0..100 holds a /10, /20 or /100 scale alike [infer]. */
const mark = psaV1NumberSchema({ min: 0, max: 100 });
/** Driving time behind the evaluation (seconds or minutes, unstated); a month at most. */
const duration = psaV1NumberSchema({ min: 0, max: 31 * 24 * 3600 });

const globalMarks = { drivingMark: mark, drivingAttitude: mark, roadProfile: mark };

export const psaV1GlobalEvaluationSchema = psaV1LabelledObjectSchema(globalMarks, psaV1EvaluationLabelSchema);
export type PsaV1GlobalEvaluation = z.infer<typeof psaV1GlobalEvaluationSchema>;

export const psaV1DetailedEvaluationSchema = psaV1LabelledObjectSchema(
  {
    acceleration: mark,
    braking: mark,
    engineSpeed: mark,
    stopAndStart: mark,
    speed: mark,
    slope: mark,
    coldTrips: mark,
  },
  psaV1EvaluationLabelSchema,
);
export type PsaV1DetailedEvaluation = z.infer<typeof psaV1DetailedEvaluationSchema>;

/** Evaluation of all the car's trips. */
export const psaV1EcoEvaluationSchema = z.object({
  globalEvaluation: psaV1GlobalEvaluationSchema.optional(),
  detailedEvaluation: psaV1DetailedEvaluationSchema.optional(),
  ...psaV1VehicleFields,
});
export type PsaV1EcoEvaluation = z.infer<typeof psaV1EcoEvaluationSchema>;

export const psaV1EcoEvaluationListSchema = z.array(psaV1EcoEvaluationSchema);
export type PsaV1EcoEvaluationList = z.infer<typeof psaV1EcoEvaluationListSchema>;

/** Evaluation of one trip: `tripId` (the v1 trip id) is what it is about, so it is required. */
export const psaV1EcoTripEvaluationSchema = psaV1EcoEvaluationSchema.extend({
  tripId: psaV1TripIdSchema,
  globalEvaluation: psaV1GlobalEvaluationSchema.extend({ duration: duration.optional() }).optional(),
});
export type PsaV1EcoTripEvaluation = z.infer<typeof psaV1EcoTripEvaluationSchema>;

/** `GET …/daytrips/{vin}?day=`: one evaluation per trip of the day. */
export const psaV1EcoTripEvaluationsSchema = z.array(psaV1EcoTripEvaluationSchema);
export type PsaV1EcoTripEvaluations = z.infer<typeof psaV1EcoTripEvaluationsSchema>;

function aggregate<D extends z.ZodType>(dateAggr: D) {
  return psaV1EcoEvaluationSchema.extend({
    /** The aggregate's date is what it is about, so `globalEvaluation.dateAggr` is required. */
    globalEvaluation: psaV1GlobalEvaluationSchema.extend({ duration: duration.optional(), dateAggr }),
  });
}

/** One day of `…/trip/day/…`, `dateAggr` = `yyyyMMdd` [infer]. */
export const psaV1EcoDayEvaluationSchema = aggregate(psaV1DayNumberSchema);
export type PsaV1EcoDayEvaluation = z.infer<typeof psaV1EcoDayEvaluationSchema>;

export const psaV1EcoDayEvaluationsSchema = z.array(psaV1EcoDayEvaluationSchema);
export type PsaV1EcoDayEvaluations = z.infer<typeof psaV1EcoDayEvaluationsSchema>;

/** One month of `…/trip/month/…`, `dateAggr` = `yyyyMM` [infer]. */
export const psaV1EcoMonthEvaluationSchema = aggregate(psaV1MonthNumberSchema);
export type PsaV1EcoMonthEvaluation = z.infer<typeof psaV1EcoMonthEvaluationSchema>;

export const psaV1EcoMonthEvaluationsSchema = z.array(psaV1EcoMonthEvaluationSchema);
export type PsaV1EcoMonthEvaluations = z.infer<typeof psaV1EcoMonthEvaluationsSchema>;
