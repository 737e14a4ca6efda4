import 'server-only';
import { z } from 'zod';
import { psaV4CollectionSchema, psaV4DateTimeSchema, psaV4LinkSchema } from './common';

// `GET …/collisions`, `…/collisions/{cid}` and the trip-scoped variants (spec `Collision`, `Collisions`).

export const psaV4CollisionDetailSchema = z.object({
  side: z.enum(['Front', 'Rear', 'Lateral']),
  /** Minimal = no safety system fired; Minor = pretensioner only; Major = airbag and pretensioner. */
  severity: z.enum(['Minimal', 'Minor', 'Major']).optional(),
});
export type PsaV4CollisionDetail = z.infer<typeof psaV4CollisionDetailSchema>;

export const psaV4CollisionSchema = z.object({
  id: z.string().min(1),
  createdAt: psaV4DateTimeSchema,
  updatedAt: psaV4DateTimeSchema.optional(),
  details: z.array(psaV4CollisionDetailSchema).optional(),
  /** Only on cars with the dedicated sensor. */
  tippedOver: z.boolean().optional(),
  /** Only on cars with the dedicated sensor. */
  pedestrian: z.boolean().optional(),
  _links: z.object({
    self: psaV4LinkSchema,
    vehicle: psaV4LinkSchema.optional(),
    trip: psaV4LinkSchema.optional(),
  }),
});
export type PsaV4Collision = z.infer<typeof psaV4CollisionSchema>;

/** Note the capital C of the embedded key. */
export const psaV4CollisionsSchema = psaV4CollectionSchema('Collisions', psaV4CollisionSchema);
export type PsaV4Collisions = z.infer<typeof psaV4CollisionsSchema>;
