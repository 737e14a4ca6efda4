import 'server-only';
import { z } from 'zod';

// Error body. v1 sits behind IBM API Connect (`x-ibm-name` in the spec), whose gateway answers errors
// with `{httpCode, httpMessage, moreInformation}` (vehicle-apis.md §2.2, §3.4: e.g. 401 "Token is
// invalid" / an unknown `client_id`). The spec documents no other error body.

/**
 * All three fields are required: the gateway always fills them. `httpCode` is accepted as a number or as
 * the 3-digit string API Connect sends, and must match an HTTP status class.
 */
export const psaV1GatewayErrorSchema = z.object({
  httpCode: z.union([z.int().min(100).max(599), z.string().regex(/^[1-5]\d\d$/)]),
  httpMessage: z.string().min(1),
  moreInformation: z.string(),
});
export type PsaV1GatewayError = z.infer<typeof psaV1GatewayErrorSchema>;
