import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { AppError } from '../errors';
import { encodeAlertId } from './alert-id';
import {
  acknowledgeAlert,
  countActiveAlerts,
  getAlert,
  isAlertCursor,
  KINETIC_PROVIDER,
  listAlerts,
} from './alerts';
import { newOwner, newVehicle, storeAlert, storeSamples } from './alerts-for-tests';

// The owner's alerts on both engines: filters, keyset pages (ties included), ownership, the
// acknowledgement (idempotent, scoped), the badge counts, and Kinetic's own "data stopped" alert.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 15, 12);
const iso = (ms: number) => new Date(ms).toISOString();

for (const engine of ENGINES) {
  describe(`alerts (${engine})`, () => {
    const database = useTestDatabase(engine);
    const db = () => database().db;
    let owner: string;
    let stranger: string;
    let blue: string;
    let red: string;
    let strangersCar: string;
    const id = (vehicleId: string, providerAlertId: string, provider = 'psa-v4') =>
      encodeAlertId({ vehicleId, provider, providerAlertId });
    // Red's last measurement: ten days ago, after daily use → silent (cadence 1 day × 3 < 10 days).
    const redLastAt = NOW - 10 * DAY;
    let dataStopped: string;

    beforeAll(async () => {
      owner = await newOwner(db(), 'alerts-owner');
      stranger = await newOwner(db(), 'alerts-stranger');
      blue = await newVehicle(db(), owner, 'Blue', 1);
      red = await newVehicle(db(), owner, 'Red', 2);
      strangersCar = await newVehicle(db(), stranger, 'Theirs', 3);
      await storeAlert(db(), {
        vehicleId: blue,
        providerAlertId: 'a1',
        type: 'BrakingSystemFailure',
        severity: 'critical',
        active: true,
        startedAt: NOW - HOUR,
        position: { latitude: 48.8566, longitude: 2.3522 },
      });
      await storeAlert(db(), {
        vehicleId: blue,
        providerAlertId: 'a2',
        severity: 'warning',
        active: false,
        startedAt: NOW - 2 * DAY,
        endedAt: NOW - DAY,
      });
      await storeAlert(db(), {
        vehicleId: blue,
        providerAlertId: 'a3',
        type: 'AddWasherFluid',
        severity: 'information',
        active: true,
        startedAt: NOW - 3 * DAY,
      });
      await storeAlert(db(), {
        vehicleId: red,
        providerAlertId: 'a4',
        severity: 'warning',
        active: true,
        startedAt: NOW - 5 * HOUR,
      });
      await storeAlert(db(), {
        vehicleId: strangersCar,
        providerAlertId: 'b1',
        severity: 'critical',
        active: true,
        startedAt: NOW - 30 * 60_000,
      });
      // Blue reported an hour ago; Red daily until ten days ago; the stranger's car never.
      await storeSamples(db(), blue, [{ at: NOW - HOUR, speedKmh: 50 }]);
      await storeSamples(
        db(),
        red,
        Array.from({ length: 10 }, (_, i) => ({ at: redLastAt - i * DAY, speedKmh: 30 })),
      );
      dataStopped = id(red, `data-stopped-${redLastAt}`, KINETIC_PROVIDER);
    });

    const list = (options: Partial<Parameters<typeof listAlerts>[2]> = {}) =>
      listAlerts(db(), owner, { state: 'all', limit: 100, now: NOW, ...options });
    const ids = async (options: Partial<Parameters<typeof listAlerts>[2]> = {}) =>
      (await list(options)).alerts.map((alert) => alert.id);

    it("lists the owner's alerts newest first, with Kinetic's data-stopped alert, and none of another owner's", async () => {
      expect(await ids()).toEqual([
        id(blue, 'a1'),
        id(red, 'a4'),
        id(blue, 'a2'),
        id(blue, 'a3'),
        dataStopped,
      ]);
    });

    it('answers the DTO of each alert', async () => {
      const { alerts } = await list();
      expect(alerts[0]).toEqual({
        id: id(blue, 'a1'),
        vehicleId: blue,
        vehicleLabel: 'Blue',
        type: 'BrakingSystemFailure',
        severity: 'critical',
        active: true,
        startedAt: iso(NOW - HOUR),
        endedAt: null,
        position: { latitude: 48.8566, longitude: 2.3522 },
        acknowledgedAt: null,
      });
      expect(alerts[2]).toMatchObject({ active: false, endedAt: iso(NOW - DAY), position: null });
      expect(alerts[4]).toEqual({
        id: dataStopped,
        vehicleId: red,
        vehicleLabel: 'Red',
        type: 'data_stopped',
        severity: 'warning',
        active: true,
        startedAt: iso(redLastAt),
        endedAt: null,
        position: null,
        acknowledgedAt: null,
      });
    });

    it('filters by state, severity, vehicle and start time', async () => {
      expect(await ids({ state: 'active' })).toEqual([
        id(blue, 'a1'),
        id(red, 'a4'),
        id(blue, 'a3'),
        dataStopped,
      ]);
      expect(await ids({ state: 'history' })).toEqual([id(blue, 'a2')]);
      expect(await ids({ severity: 'critical' })).toEqual([id(blue, 'a1')]);
      expect(await ids({ severity: 'information' })).toEqual([id(blue, 'a3')]);
      expect(await ids({ state: 'active', severity: 'warning' })).toEqual([id(red, 'a4'), dataStopped]);
      expect(await ids({ vehicleId: red })).toEqual([id(red, 'a4'), dataStopped]);
      expect(await ids({ from: NOW - DAY })).toEqual([id(blue, 'a1'), id(red, 'a4')]);
      expect(await ids({ to: NOW - DAY })).toEqual([id(blue, 'a2'), id(blue, 'a3'), dataStopped]);
      expect(await ids({ from: NOW - 4 * DAY, to: NOW - 2 * DAY })).toEqual([id(blue, 'a3')]);
    });

    it("finds nothing through another owner's vehicle", async () => {
      expect(await ids({ vehicleId: strangersCar })).toEqual([]);
      expect(await getAlert(db(), owner, id(strangersCar, 'b1'), NOW)).toBeNull();
      expect(await getAlert(db(), stranger, id(blue, 'a1'), NOW)).toBeNull();
    });

    it('pages with a keyset cursor: the pages add up to the whole list', async () => {
      const whole = await ids();
      for (const limit of [1, 2, 3, 4]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 10; page++) {
          const result = await list({ limit, ...(cursor === undefined ? {} : { cursor }) });
          expect(result.alerts.length).toBeLessThanOrEqual(limit);
          seen.push(...result.alerts.map((alert) => alert.id));
          if (result.nextCursor === null) break;
          expect(isAlertCursor(result.nextCursor)).toBe(true);
          cursor = result.nextCursor;
        }
        expect(seen, `limit ${limit}`).toEqual(whole);
      }
    });

    it('refuses a cursor it did not give out', async () => {
      await expect(list({ cursor: 'bm90IGEgY3Vyc29y' })).rejects.toMatchObject({ code: 'bad_request' });
      expect(isAlertCursor('bm90IGEgY3Vyc29y')).toBe(false);
    });

    it('counts active, unacknowledged alerts by severity for the badge', async () => {
      expect(await countActiveAlerts(db(), owner, NOW)).toEqual({
        active: { critical: 1, warning: 2, information: 1 },
        attention: 3,
      });
      expect(await countActiveAlerts(db(), stranger, NOW)).toEqual({
        active: { critical: 1, warning: 0, information: 0 },
        attention: 1,
      });
    });

    it("refuses to acknowledge another owner's alert, a missing one or a malformed id, alike", async () => {
      for (const alertId of [id(strangersCar, 'b1'), id(blue, 'nope'), 'garbage', id(blue, 'a1', 'psa-v1')]) {
        const error = await acknowledgeAlert(db(), owner, alertId, NOW).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: 'not_found', message: 'No such alert.' });
      }
      const theirs = await acknowledgeAlert(db(), stranger, id(blue, 'a1'), NOW).catch((e: unknown) => e);
      expect(theirs).toMatchObject({ code: 'not_found', message: 'No such alert.' });
      expect((await list()).alerts.every((alert) => alert.acknowledgedAt === null)).toBe(true);
    });

    it('acknowledges once: a second acknowledgement keeps the first instant', async () => {
      const first = await acknowledgeAlert(db(), owner, id(blue, 'a1'), NOW + 1000);
      expect(first).toMatchObject({ id: id(blue, 'a1'), acknowledgedAt: iso(NOW + 1000), active: true });
      const again = await acknowledgeAlert(db(), owner, id(blue, 'a1'), NOW + 5000);
      expect(again.acknowledgedAt).toBe(iso(NOW + 1000));
      const rows = await db().selectFrom('alert_acknowledgements').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        vehicle_id: blue,
        provider: 'psa-v4',
        provider_alert_id: 'a1',
        user_id: owner,
      });
      expect((await list()).alerts[0]?.acknowledgedAt).toBe(iso(NOW + 1000));
      expect((await countActiveAlerts(db(), owner, NOW)).active.critical).toBe(0);
    });

    it("acknowledges Kinetic's data-stopped alert, which ends when data arrives again", async () => {
      const acknowledged = await acknowledgeAlert(db(), owner, dataStopped, NOW + 2000);
      expect(acknowledged).toMatchObject({ type: 'data_stopped', acknowledgedAt: iso(NOW + 2000) });
      expect((await countActiveAlerts(db(), owner, NOW)).active.warning).toBe(1);
      expect((await list({ vehicleId: red })).alerts.at(-1)?.acknowledgedAt).toBe(iso(NOW + 2000));

      await storeSamples(db(), red, [{ at: NOW - HOUR, speedKmh: 20 }]);
      expect(await ids({ vehicleId: red })).toEqual([id(red, 'a4')]);
      await expect(acknowledgeAlert(db(), owner, dataStopped, NOW)).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('drops acknowledgements with their vehicle', async () => {
      await db().deleteFrom('vehicles').where('id', '=', blue).execute();
      const left = await db().selectFrom('alert_acknowledgements').select('vehicle_id').execute();
      expect(left.map((row) => row.vehicle_id)).toEqual([red]);
    });
  });
}

describe('ties', () => {
  for (const engine of ENGINES) {
    describe(engine, () => {
      const database = useTestDatabase(engine);

      it('pages through alerts that started at the same instant without repeats or gaps', async () => {
        const db = database().db;
        const owner = await newOwner(db, 'ties');
        const cars = [await newVehicle(db, owner, 'A', 1), await newVehicle(db, owner, 'B', 2)];
        const expected: string[] = [];
        // Ids that sort differently as bytes and in a locale (upper/lower case, digits, dashes).
        for (const car of cars)
          for (const alertId of ['Z', 'a', 'B', '10', '9', 'a-b', 'a_b']) {
            await storeAlert(db, {
              vehicleId: car,
              providerAlertId: alertId,
              severity: 'warning',
              active: true,
              startedAt: NOW,
            });
            expected.push(encodeAlertId({ vehicleId: car, provider: 'psa-v4', providerAlertId: alertId }));
          }
        const whole = (await listAlerts(db, owner, { state: 'all', limit: 100, now: NOW })).alerts.map(
          (a) => a.id,
        );
        expect([...whole].sort()).toEqual([...expected].sort());
        for (const limit of [1, 2, 3, 5]) {
          const seen: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await listAlerts(db, owner, {
              state: 'all',
              limit,
              now: NOW,
              ...(cursor === undefined ? {} : { cursor }),
            });
            seen.push(...page.alerts.map((a) => a.id));
            cursor = page.nextCursor ?? undefined;
          } while (cursor !== undefined);
          expect(seen, `limit ${limit}`).toEqual(whole);
        }
      });
    });
  }
});
