import 'server-only';
import { z } from 'zod';
import { psaV1ContractSchema, psaV1VinSchema } from './common';

// The body Kinetic sends to every POST `…/list` twin (spec parameter `body`: "List of vin and list of
// related contracts", example `{"listvin": ["a","b"], "listcontract": ["c","d"]}`).

/**
 * `listcontract[i]` is the contract of `listvin[i]` ("related contracts"), so both lists must have the
 * same length [infer]. At least one car, or the call is pointless.
 */
export const psaV1ListRequestSchema = z
  .object({
    listvin: z.array(psaV1VinSchema).min(1),
    listcontract: z.array(psaV1ContractSchema).min(1),
  })
  .refine((body) => body.listvin.length === body.listcontract.length, {
    message: 'listvin and listcontract must pair up',
    path: ['listcontract'],
  });
export type PsaV1ListRequest = z.infer<typeof psaV1ListRequestSchema>;
