import { z } from 'zod';

// The alerts API's shapes (docs/api.md › Alerts), shared by the route handlers, the pages and the
// client queries. Times are ISO-8601 strings in UTC; positions are WGS 84 degrees.

export const ALERT_SEVERITIES = ['critical', 'warning', 'information'] as const;
export const ALERT_STATES = ['active', 'history', 'all'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const alertSeveritySchema = z.enum(ALERT_SEVERITIES);

export const alertDtoSchema = z.object({
  /** Opaque, URL-safe (lib/alerts/alert-id.ts). */
  id: z.string(),
  vehicleId: z.string(),
  vehicleLabel: z.string(),
  /** PSA v4 AlertMsgEnum name (4.17 or 4.0), Kinetic's `data_stopped`, or a newer name. */
  type: z.string(),
  severity: alertSeveritySchema,
  active: z.boolean(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  position: z.object({ latitude: z.number(), longitude: z.number() }).nullable(),
  acknowledgedAt: z.string().nullable(),
});
export type AlertDto = z.infer<typeof alertDtoSchema>;

export const alertListDtoSchema = z.object({
  alerts: z.array(alertDtoSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type AlertListDto = z.infer<typeof alertListDtoSchema>;

export const alertSummaryDtoSchema = z.object({
  /** Active alerts not yet acknowledged, by severity. */
  active: z.object({ critical: z.number().int(), warning: z.number().int(), information: z.number().int() }),
  /** critical + warning: what the navigation badge shows. */
  attention: z.number().int(),
});
export type AlertSummaryDto = z.infer<typeof alertSummaryDtoSchema>;

export const MAX_ALERTS_LIMIT = 100;
export const DEFAULT_ALERTS_LIMIT = 50;

const isoInstant = z.iso
  .datetime({ offset: true })
  .transform((value) => Date.parse(value))
  .refine((ms) => Number.isFinite(ms), 'not a valid date');

/** The filters of `GET /api/alerts` (and of the /alerts page, minus `limit`). */
export const alertListQuerySchema = z
  .strictObject({
    state: z.enum(ALERT_STATES).default('all'),
    severity: alertSeveritySchema.optional(),
    vehicleId: z.string().min(1).max(64).optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    cursor: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_ALERTS_LIMIT).default(DEFAULT_ALERTS_LIMIT),
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    message: '`from` must not be after `to`.',
    path: ['from'],
  });
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;

/** The filters a client query is keyed by (what the URL holds, as strings). */
export type AlertFilters = {
  state: AlertState;
  severity?: (typeof ALERT_SEVERITIES)[number];
  vehicleId?: string;
  cursor?: string;
  limit?: number;
};

export const alertIdSchema = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[A-Za-z0-9_-]+$/);
