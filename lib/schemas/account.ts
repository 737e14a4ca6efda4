import { z } from 'zod';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// Strict: unknown fields (an owner id, a role, an e-mail) are refused, never ignored silently.
export const accountUpdateSchema = z
  .object({
    name: z.string().trim().max(80, { message: 'Use at most 80 characters.' }).nullable().optional(),
    timeZone: z
      .string()
      .max(64)
      .refine(isTimeZone, { message: 'Use an IANA time zone such as Europe/Paris.' })
      .nullable()
      .optional(),
  })
  .strict();

export type AccountUpdate = z.infer<typeof accountUpdateSchema>;

export type AccountDto = { email: string; name: string | null; timeZone: string | null; isDemo: boolean };
