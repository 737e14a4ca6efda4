import 'server-only';
import { z } from 'zod';
import { psaV4CollectionSchema } from './common';
import { psaV4AlarmSchema } from './vehicle-state';

// `GET …/alarms`, `…/alarms/{aid}` (spec `AlarmDetails`, `Alarms`): anti-theft alarm status changes and
// triggers; each item holds one of the two.

export const psaV4AlarmDetailsSchema = psaV4AlarmSchema.extend({ id: z.string().min(1) });
export type PsaV4AlarmDetails = z.infer<typeof psaV4AlarmDetailsSchema>;

export const psaV4AlarmsSchema = psaV4CollectionSchema('alarms', psaV4AlarmDetailsSchema);
export type PsaV4Alarms = z.infer<typeof psaV4AlarmsSchema>;
