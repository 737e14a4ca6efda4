import 'server-only';
import type { z } from 'zod';
import {
  alertSchema,
  chargingSessionSchema,
  ecoEvaluationSchema,
  maintenanceSchema,
  sampleSchema,
  snapshotSchema,
  tripSchema,
  type VehicleData,
} from './model';

// Upstream data is untrusted: every record an adapter produces passes its schema before it may be
// stored. A record that fails is set aside whole with the reason (which field, what was wrong) —
// quarantined, never half-stored and never silently "fixed".

export type QuarantinedRecord = {
  kind: keyof VehicleData;
  /** The record as the adapter produced it. */
  record: unknown;
  reason: string;
};

export type ValidatedVehicleData = { data: VehicleData; quarantined: QuarantinedRecord[] };

const SCHEMAS: { [K in keyof VehicleData]-?: z.ZodType<NonNullable<VehicleData[K]>[number]> } = {
  samples: sampleSchema,
  trips: tripSchema,
  chargingSessions: chargingSessionSchema,
  alerts: alertSchema,
  maintenance: maintenanceSchema,
  ecoEvaluations: ecoEvaluationSchema,
  snapshots: snapshotSchema,
};

export function reasonOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`).join('; ');
}

export function validateVehicleData(input: VehicleData): ValidatedVehicleData {
  const data = {} as VehicleData;
  const quarantined: QuarantinedRecord[] = [];
  for (const kind of Object.keys(SCHEMAS) as (keyof VehicleData)[]) {
    const schema = SCHEMAS[kind] as z.ZodType<unknown>;
    const records = input[kind];
    // An optional kind the adapter did not bring stays absent, so the output has the input's shape.
    if (records === undefined) continue;
    const kept: unknown[] = [];
    for (const record of records) {
      const parsed = schema.safeParse(record);
      if (parsed.success) kept.push(parsed.data);
      else quarantined.push({ kind, record, reason: reasonOf(parsed.error) });
    }
    (data as Record<keyof VehicleData, unknown[]>)[kind] = kept;
  }
  return { data, quarantined };
}
