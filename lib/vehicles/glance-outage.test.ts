import { createFormatter, createTranslator } from 'next-intl';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GlanceCards } from '@/components/glance/glance-cards';
import type { GlanceContext } from '@/components/glance/glance-context';
import { en } from '@/messages/en';
import { ENGINES, openTestDatabase, type TestDatabase } from '@/test/db-harness';
import { getSyncState } from '../db/queries/sync-state';
import { glanceDtoSchema } from '../schemas/glance';
import { telemetryQuerySchema } from '../schemas/telemetry';
import { readTelemetry } from '../telemetry/query/read-telemetry';
import { METRIC_UNITS } from '../units/preferences';
import { startTestCloud, type TestCloud, wireWorker } from '../worker/cloud-for-tests';
import { linkSimulatedOwner } from '../worker/simulated-owners';
import { createSyncWorker } from '../worker/sync-worker';
import { getGlance } from './glance';

// UP-07, "serve stale data, never a blank page": the real worker syncs the demo owner's cars from
// the simulated cloud over HTTP, then every call to the cloud fails for a simulated hour while the
// worker keeps trying on its schedule. The glance (what the page and GET /api/vehicles/:id/glance
// answer) still gives every last-known value with the instant the car measured it, says since when
// it is stale (`sync.staleSince`), and the page's cards say so; the telemetry series invent nothing
// for the outage.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const silent = () => {};

describe.each(ENGINES)('a vehicle cloud outage on %s', (engine) => {
  let cloud: TestCloud;
  let opened: TestDatabase | undefined;
  beforeAll(async () => {
    cloud = await startTestCloud({ peers: 0 });
  });
  afterAll(async () => {
    await cloud.close();
  });
  afterEach(async () => {
    cloud.setFaults([]);
    await opened?.cleanup();
    opened = undefined;
  });

  it('keeps the last values with their times and a stale mark through an hour of failing syncs', async () => {
    opened = await openTestDatabase(engine);
    const { db } = opened;
    // The outage starts in the middle of a drive of the demo owner's first car (15 min in).
    const simCar = cloud.ctx.world.ownerAt(0).vehicles[0] ?? expect.fail('no demo car');
    const drive = cloud.ctx.fleet
      .timelineOf(simCar)
      .tripsBetween(cloud.clock.now(), cloud.clock.now() + 3 * 24 * HOUR)
      .find((trip) => trip.startMs > cloud.clock.now() && trip.endMs - trip.startMs > 20 * MINUTE);
    if (!drive) throw new Error('no drive of 20 minutes in the next 3 days');
    const start = drive.startMs + 15 * MINUTE;
    cloud.clock.set({ now: start, frozen: true });
    let now = start;
    const wired = await wireWorker(cloud, db, { now: () => now, backfillMs: 6 * HOUR });
    const demo = await linkSimulatedOwner(
      wired.linkOptions,
      wired.page.owners[0] ?? expect.fail('no owner'),
      true,
    );
    const worker = createSyncWorker({ db, providers: wired.providers, now: () => now, log: silent });
    expect((await worker.runOnce()).synced).toBe(demo.vehicles.length);

    // Every call to the cloud fails from now on, for an hour of the worker's and the cloud's time.
    cloud.setFaults([{ kind: 'server_error', rate: 1, endpoints: ['/connectedcar/**', '/am/oauth2/**'] }]);
    let attempts = 0;
    for (now = start + 30_000; now <= start + HOUR; now += 30_000) {
      cloud.clock.set({ now, frozen: true });
      const pass = await worker.runOnce();
      expect(pass.synced).toBe(0);
      attempts += pass.leased;
    }
    // The worker kept trying (backing off), and every try failed.
    expect(attempts).toBeGreaterThan(demo.vehicles.length);

    for (const vehicle of demo.vehicles) {
      const state = await getSyncState(db, vehicle.vehicleId, 'psa-v4');
      expect(state?.lastSyncedAt).toBe(start);
      expect(state?.failures).toBeGreaterThan(0);

      const glance = await getGlance(db, demo.userId, vehicle.vehicleId, now);
      if (!glance) throw new Error('no glance');
      // The API's answer, as its schema has it: stale since the last good sync.
      expect(glanceDtoSchema.parse(glance)).toEqual(glance);
      expect(glance.sync).toEqual({ lastSyncedAt: start, staleSince: start, rateLimitedUntil: null });
      // Never blank: the last-known values, each with the instant the car measured it (before the outage).
      expect(glance.odometerKm.value).not.toBeNull();
      expect(glance.odometerKm.measuredAt).not.toBeNull();
      expect(glance.odometerKm.measuredAt ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(start);
      expect(glance.activity.state).not.toBe('unknown');

      // The page's cards: a stale mark saying since when, and each value's own age.
      const ctx: GlanceContext = {
        t: createTranslator({
          locale: 'en',
          messages: en,
          namespace: 'glance',
        }) as unknown as GlanceContext['t'],
        format: createFormatter({
          locale: 'en',
          timeZone: 'UTC',
          now: new Date(now),
        }) as GlanceContext['format'],
        locale: 'en',
        now,
        units: METRIC_UNITS,
      };
      const html = renderToStaticMarkup(createElement(GlanceCards, { ctx, glance }));
      expect(html).toContain('data-testid="glance-sync-stale"');
      expect(html).toContain(
        `Stale: not updated since ${ctx.format.dateTime(start, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })}`,
      );
      expect(html).toMatch(/updated (about )?\d+ (hours?|minutes?|days?) ago/);

      // The charts' data for the last two hours: points until the last sync (the driving car's while
      // it drove), none invented for the hour after it.
      const query = telemetryQuerySchema.parse({
        from: new Date(now - 2 * HOUR).toISOString(),
        to: new Date(now).toISOString(),
        width: '400',
      });
      const telemetry = await readTelemetry(db, demo.userId, vehicle.vehicleId, query);
      const measured = Object.values(telemetry.series).flatMap((series) =>
        (series?.points ?? []).filter(([, value]) => value !== null).map(([t]) => t),
      );
      for (const t of measured) expect(t).toBeLessThanOrEqual(start);
      if (vehicle.vin === simCar.vin) {
        // The drive before the outage is there, up to its last minute.
        expect(Math.max(...measured)).toBeGreaterThan(start - 2 * MINUTE);
      }
    }
  });
});
