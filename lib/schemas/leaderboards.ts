import { z } from 'zod';
import { parseBoardRef } from '../leaderboards/board-ref';
import { EXPIRY_CHOICES_DAYS } from '../sharing/share-links';

// Inputs of the score, leaderboard and share-link routes (app/api/vehicles/[vehicleId]/…).

export const boardQuerySchema = z.strictObject({
  board: z
    .string()
    .max(64)
    .default('peer')
    .transform((value, ctx) => {
      const ref = parseBoardRef(value);
      if (!ref) ctx.addIssue({ code: 'custom', message: 'board: peer, model, everyone or group:<id>.' });
      return ref ?? { kind: 'peer' as const };
    }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const createShareLinkBodySchema = z.strictObject({
  /** Days until the link stops working; null for a link that does not expire. */
  expiresInDays: z.union([z.literal(EXPIRY_CHOICES_DAYS), z.null()]),
  /** A board the car is on (`peer`, `model`, `everyone`, `group:<id>`); absent for the score card. */
  board: z
    .string()
    .max(64)
    .refine((value) => parseBoardRef(value) !== null, 'board: peer, model, everyone or group:<id>.')
    .optional(),
});
