import 'server-only';
import { z } from 'zod';
import { psaV4DateTimeSchema } from './common';

// Error bodies. Three shapes are documented (vehicle-apis.md §3.4, §2.2): the developer portal's
// `{code, uuid, message, timestamp}`, the spec's `xError` `{code, debug, message}`, and the API gateway's
// `{httpCode, httpMessage, moreInformation}` (e.g. 401 "Token is invalid").

/** Portal form; `code` = 3-digit HTTP status followed by 2 API-specific digits (40499 = 404 + 99). */
export const psaV4PortalErrorSchema = z.object({
  code: z.int().min(10_000).max(59_999),
  uuid: z.guid(),
  message: z.string(),
  timestamp: psaV4DateTimeSchema,
});
export type PsaV4PortalError = z.infer<typeof psaV4PortalErrorSchema>;

/** Spec `xError`: every field optional, `code` an application code (the spec's example is 1001). */
export const psaV4SpecErrorSchema = z.object({
  code: z.int().optional(),
  debug: z.string().optional(),
  message: z.string().optional(),
});
export type PsaV4SpecError = z.infer<typeof psaV4SpecErrorSchema>;

/**
 * Gateway form. Only `moreInformation` is attested (the text clients match on to detect an expired token);
 * `httpCode` is accepted both as a number and as the 3-digit string API gateways commonly send.
 */
export const psaV4GatewayErrorSchema = z.object({
  httpCode: z.union([z.int().min(100).max(599), z.string().regex(/^[1-5]\d\d$/)]).optional(),
  httpMessage: z.string().optional(),
  moreInformation: z.string(),
});
export type PsaV4GatewayError = z.infer<typeof psaV4GatewayErrorSchema>;

/** Any documented error body; the all-optional `xError` comes last so the specific forms win. */
export const psaV4ErrorBodySchema = z.union([
  psaV4PortalErrorSchema,
  psaV4GatewayErrorSchema,
  psaV4SpecErrorSchema,
]);
export type PsaV4ErrorBody = z.infer<typeof psaV4ErrorBodySchema>;
