import 'server-only';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { type CachePolicy, cachedJson, REVALIDATE } from '../../http-cache';
import { parseWith, searchParamsOf } from '../../route-handler';
import { isLiveRange, telemetryMarksQuerySchema, telemetryQuerySchema } from '../../schemas/telemetry';
import { vehicleIdSchema } from '../../schemas/vehicle';
import { readTelemetryMarks } from './read-marks';
import { readTelemetry } from './read-telemetry';

// The two telemetry routes' bodies, apart from Next so tests call them with a real database
// (app/api/vehicles/[vehicleId]/telemetry/**/route.ts only wrap them in withAuth with getDb()).
//
// Caching: a range that reaches into the last hour (LIVE_WINDOW_MS) is live — the car may be
// driving and the next sync adds to it — so it is revalidated on every use (the ETag makes that a
// bodiless 304 when nothing changed). An older range is settled: a late sync or an import can
// still fill it, rarely, so browsers may reuse it for 5 minutes and show it for an hour while
// revalidating in the background, never longer.

export const SETTLED: CachePolicy = { maxAgeS: 300, staleWhileRevalidateS: 3600 };

export const cachePolicyFor = (toMs: number, nowMs = Date.now()): CachePolicy =>
  isLiveRange(toMs, nowMs) ? REVALIDATE : SETTLED;

type Context = { db: Kysely<Database>; ownerId: string; params: { vehicleId: string } };

export async function telemetryResponse(request: Request, { db, ownerId, params }: Context) {
  const vehicleId = parseWith(vehicleIdSchema, params.vehicleId);
  const query = parseWith(telemetryQuerySchema, searchParamsOf(request));
  const body = await readTelemetry(db, ownerId, vehicleId, query);
  return cachedJson(request, body, cachePolicyFor(query.to));
}

export async function telemetryMarksResponse(request: Request, { db, ownerId, params }: Context) {
  const vehicleId = parseWith(vehicleIdSchema, params.vehicleId);
  const query = parseWith(telemetryMarksQuerySchema, searchParamsOf(request));
  const body = await readTelemetryMarks(db, ownerId, vehicleId, query);
  return cachedJson(request, body, cachePolicyFor(query.to));
}
