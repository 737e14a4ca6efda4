import 'server-only';
import { z } from 'zod';
import { psaV4DurationSchema } from './common';

// Recurring programs (spec `BasicProgram`, `Program`, `PreconditioningProgram`, `ChargeScheduleProgram`).
// Start and end times are durations relative to 00:00, e.g. `PT21H40M` = 21:40.

export const psaV4WeekDaySchema = z.enum(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
export type PsaV4WeekDay = z.infer<typeof psaV4WeekDaySchema>;

const basicProgram = z.object({
  start: psaV4DurationSchema,
  occurence: z.object({ day: z.array(psaV4WeekDaySchema) }).optional(),
});

/** A/C preconditioning slot (status `preconditioning.airConditioning.programs[]`). */
export const psaV4PreconditioningProgramSchema = basicProgram.extend({
  recurrence: z.enum(['None', 'Daily']).optional(),
  enabled: z.boolean(),
  /** Program number; the spec gives no range (the docs note 1..4 in practice). */
  slot: z.int().optional(),
});
export type PsaV4PreconditioningProgram = z.infer<typeof psaV4PreconditioningProgramSchema>;

/** Delayed-charging slot (energy `extension.electric.charging.schedule.programs[]`). */
export const psaV4ChargeScheduleProgramSchema = basicProgram.extend({
  enabled: z.boolean().optional(),
  end: psaV4DurationSchema.optional(),
  chargeUntilFull: z.boolean().optional(),
});
export type PsaV4ChargeScheduleProgram = z.infer<typeof psaV4ChargeScheduleProgramSchema>;
