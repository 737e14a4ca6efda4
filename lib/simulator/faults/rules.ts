import { z } from 'zod';

// The fault rules document of `GET|POST /sim/faults` and `SIM_FAULTS` (interfaces.md › Simulator):
//   { "rules": [{ "kind", "rate": 0–1, "endpoints"?: [glob], "vehicles"?: [id], "params"?: {…} }] }
// Kept to zod alone: lib/env-schema.ts validates SIM_FAULTS with it before anything else starts.

/**
 * Faults of the identity providers' token endpoint only: a genuine exchange answered with an
 * id_token a client must refuse (faults/id-token.ts).
 */
export const ID_TOKEN_FAULT_KINDS = [
  'id_token_wrong_aud',
  'id_token_wrong_iss',
  'id_token_nonce',
  'id_token_expired',
] as const;

export type IdTokenFaultKind = (typeof ID_TOKEN_FAULT_KINDS)[number];

/** Faults of the HTTP surface (identity providers and Connected Car v4). */
export const HTTP_FAULT_KINDS = [
  'rate_limit',
  'quota_exceeded',
  'server_error',
  'latency',
  'timeout',
  'reset',
  'token_expired',
  'token_revoked',
  'malformed',
  'truncated',
  'stale',
  'silent',
  'hostile_names',
  ...ID_TOKEN_FAULT_KINDS,
] as const;

/**
 * Faults of the webhook channel: they never fire on HTTP requests, only on the messages the v4
 * callbacks deliver (v4/callbacks/delivery-queue.ts): `webhook_duplicate` delivers a message twice
 * with the same id, `webhook_reorder` holds a message back until the next one has gone, and
 * `webhook_delay` holds it `params.delayS` simulated seconds (60 by default).
 */
export const WEBHOOK_FAULT_KINDS = ['webhook_duplicate', 'webhook_reorder', 'webhook_delay'] as const;

export const FAULT_KINDS = [...HTTP_FAULT_KINDS, ...WEBHOOK_FAULT_KINDS] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];
export type HttpFaultKind = (typeof HTTP_FAULT_KINDS)[number];
export type WebhookFaultKind = (typeof WEBHOOK_FAULT_KINDS)[number];

// Bounds keep a typo from parking a socket for a day or telling a client to wait a week.
const paramsSchema = z
  .object({
    retryAfterS: z.number().int().min(1).max(3600).optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    // Webhook delay, or how old `stale` data is (up to a week: a car that stopped uploading).
    delayS: z.number().int().min(0).max(604_800).optional(),
  })
  .strict();

// A glob is matched against the URL path (no query string), so it must look like one. An empty
// list is refused rather than read as "nothing" or "everything": leave the field out for "any".
const endpointGlob = z
  .string()
  .max(500)
  .regex(/^\/[^?#\s]*$/, { message: 'expected a URL path glob starting with / (no query string)' });

const ruleSchema = z
  .object({
    kind: z.enum(FAULT_KINDS),
    rate: z.number().min(0).max(1),
    endpoints: z.array(endpointGlob).min(1).max(50).optional(),
    vehicles: z.array(z.string().min(1).max(500)).min(1).max(1000).optional(),
    params: paramsSchema.optional(),
  })
  .strict();

export const faultRulesSchema = z.object({ rules: z.array(ruleSchema).max(100) }).strict();

export type FaultRule = z.infer<typeof ruleSchema>;
export type FaultParams = z.infer<typeof paramsSchema>;
export type FaultRulesDocument = z.infer<typeof faultRulesSchema>;

export type FaultRulesResult = { ok: true; rules: FaultRulesDocument } | { ok: false; message: string };

/** Validates a parsed rules document; the message names each bad field (`rules.0.rate: …`). */
export function parseFaultRules(input: unknown): FaultRulesResult {
  const parsed = faultRulesSchema.safeParse(input);
  if (parsed.success) return { ok: true, rules: parsed.data };
  const message = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  return { ok: false, message };
}

/** The same from JSON text, as SIM_FAULTS carries it. */
export function parseFaultRulesJson(text: string): FaultRulesResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'expected a JSON rules document: {"rules":[{"kind":…,"rate":…}]}' };
  }
  return parseFaultRules(json);
}
