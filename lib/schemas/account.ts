import { z } from 'zod';
import { isTimeZone, LOCALES } from '@/lib/i18n/locales';
import { ENERGY_UNITS, FUEL_UNITS, SPEED_UNITS } from '@/lib/units/preferences';

// The account API's shapes (client-safe: the settings forms use them too).

export const unitPreferencesSchema = z.object({
  speed: z.enum(SPEED_UNITS),
  fuel: z.enum(FUEL_UNITS),
  energy: z.enum(ENERGY_UNITS),
});

// Strict everywhere: unknown fields (an owner id, a role, an e-mail) are refused, never ignored.
export const accountUpdateSchema = z
  .object({
    name: z.string().trim().max(80, { message: 'Use at most 80 characters.' }).nullable().optional(),
    timeZone: z
      .string()
      .max(64)
      .refine(isTimeZone, { message: 'Use an IANA time zone such as Europe/Paris.' })
      .nullable()
      .optional(),
    /** null: follow the browser's language. */
    locale: z.enum(LOCALES).nullable().optional(),
    units: unitPreferencesSchema.partial().strict().optional(),
  })
  .strict();

export type AccountUpdate = z.infer<typeof accountUpdateSchema>;

export const DELETE_CONFIRMATION_WORD = 'DELETE';

/** `confirm`: the owner's e-mail address or the word DELETE (checked by the route). */
export const accountDeleteSchema = z.object({ confirm: z.string().trim().min(1).max(254) }).strict();

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const exportQuerySchema = z.object({ format: z.enum(EXPORT_FORMATS).default('json') }).strict();

export type AccountDto = {
  email: string;
  name: string | null;
  timeZone: string | null;
  locale: (typeof LOCALES)[number] | null;
  units: z.infer<typeof unitPreferencesSchema>;
  isDemo: boolean;
};
