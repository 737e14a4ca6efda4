import { z } from 'zod';

// The telemetry API's shapes (docs/interfaces.md › HTTP), client-safe: the query the route accepts
// and the answers it gives, for GET /api/vehicles/{id}/telemetry and …/telemetry/marks. The
// constants live in telemetry-limits.ts, without zod, for client code that needs only them.

import {
  DEFAULT_TELEMETRY_METRICS,
  MAX_TELEMETRY_RANGE_YEARS,
  MAX_TELEMETRY_WIDTH,
  MIN_TELEMETRY_WIDTH,
  maxRangeEnd,
  TELEMETRY_METRICS,
  TELEMETRY_RESOLUTIONS,
  TELEMETRY_UNITS,
} from './telemetry-limits';

export * from './telemetry-limits';

const instant = z.iso.datetime({ offset: true }).transform((text) => Date.parse(text));

const metricsList = z
  .string()
  .transform((text) => text.split(','))
  .pipe(
    z
      .array(z.enum(TELEMETRY_METRICS, { error: 'unknown metric' }))
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'each metric only once'),
  );

type Range = { from: number; to: number };

/** from ≤ to, and at most MAX_TELEMETRY_RANGE_YEARS apart. */
function checkRange({ from, to }: Range, context: z.RefinementCtx) {
  if (from > to) context.addIssue({ code: 'custom', message: 'from must not be after to', path: ['from'] });
  else if (to > maxRangeEnd(from))
    context.addIssue({
      code: 'custom',
      message: `the range may span at most ${MAX_TELEMETRY_RANGE_YEARS} years`,
      path: ['to'],
    });
}

const width = z
  .string()
  .regex(/^\d{1,4}$/, 'a whole number of CSS pixels')
  .transform(Number)
  .pipe(z.int().min(MIN_TELEMETRY_WIDTH).max(MAX_TELEMETRY_WIDTH));

/** The telemetry route's query string (as searchParamsOf gives it); instants become epoch ms. */
export const telemetryQuerySchema = z
  .strictObject({ metrics: metricsList.optional(), from: instant, to: instant, width })
  .superRefine(checkRange)
  .transform(({ metrics, ...rest }) => ({ ...rest, metrics: metrics ?? [...DEFAULT_TELEMETRY_METRICS] }));
export type TelemetryQuery = z.infer<typeof telemetryQuerySchema>;

/** The marks route's query string. */
export const telemetryMarksQuerySchema = z
  .strictObject({ from: instant, to: instant })
  .superRefine(checkRange);
export type TelemetryMarksQuery = z.infer<typeof telemetryMarksQuerySchema>;

/** `[epoch ms, value]`; a `null` value is a gap the chart must not draw a line across. */
export const telemetryPointSchema = z.tuple([z.number(), z.number().nullable()]);
export type TelemetryPoint = z.infer<typeof telemetryPointSchema>;

export const telemetrySeriesSchema = z.object({
  unit: z.enum(TELEMETRY_UNITS),
  available: z.boolean(),
  points: z.array(telemetryPointSchema),
});
export type TelemetrySeries = z.infer<typeof telemetrySeriesSchema>;

export const telemetryDtoSchema = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  resolution: z.enum(TELEMETRY_RESOLUTIONS),
  series: z.partialRecord(z.enum(TELEMETRY_METRICS), telemetrySeriesSchema),
});
export type TelemetryDto = z.infer<typeof telemetryDtoSchema>;

export const telemetryEventMarkSchema = z.object({
  type: z.string(),
  severity: z.string(),
  at: z.iso.datetime({ offset: true }),
  value: z.number().nullable(),
  tripId: z.string(),
});
export type TelemetryEventMark = z.infer<typeof telemetryEventMarkSchema>;

export const telemetryAlertMarkSchema = z.object({
  id: z.string(),
  type: z.string(),
  severity: z.enum(['information', 'warning', 'critical']),
  startedAt: z.iso.datetime({ offset: true }),
  endedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type TelemetryAlertMark = z.infer<typeof telemetryAlertMarkSchema>;

export const telemetryMarksDtoSchema = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  events: z.array(telemetryEventMarkSchema),
  alerts: z.array(telemetryAlertMarkSchema),
  /** True when either list was cut at MAX_TELEMETRY_MARKS (the earliest are kept). */
  truncated: z.boolean(),
});
export type TelemetryMarksDto = z.infer<typeof telemetryMarksDtoSchema>;
