import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  psaV1MaintenanceAlertListSchema,
  psaV1MaintenanceAlertsSchema,
} from '../../../vehicle-api/psa-v1/schema';
import { alertsBetween, SIMULATED_ALERT_TYPES } from '../../fleet/alerts';
import type { SimVehicle } from '../../world/world';
import { MAX_LIST_VEHICLES } from '../route-table';
import { type Query, setupV1Server } from '../test-server';
import { ALERT_GROUPS, ALERT_TEXTS } from './alert-texts';

// PSA v1 GET /maintenance/alert/{vin} and POST /maintenance/list/alert over real HTTP, checked
// against v4 `GET …/alerts` asked about the same car at the same frozen instant: a winter weekday
// morning, when cars are on the road in the cold and some faults are still on. Every body also
// passes the schemas Kinetic's own v1 client reads the API with.

const NOW = Date.parse('2026-01-20T07:50:00Z');
const server = setupV1Server({ seed: 'v1-alerting-test', now: NOW });

const ALERT_PATH = (vehicle: SimVehicle) => `/maintenance/alert/${vehicle.vin}`;
const LIST_PATH = '/maintenance/list/alert';

const query = (vehicle: SimVehicle, extra: Query = {}): Query => ({
  ...server.labelledQueryOf(vehicle),
  ...extra,
});

const utcSeconds = z.iso.datetime({ precision: 0 });
const item = z.strictObject({
  idAlert: z.string().regex(/^[0-9a-f]{64}$/),
  dateUpdate: utcSeconds,
  dateAlertBegin: utcSeconds,
  dateAlertEnd: z.union([z.literal(''), utcSeconds]),
  alertState: z.union([z.literal(0), z.literal(1)]),
  alert: z.string().min(1),
  advise: z.string().min(1),
  category: z.string().min(1),
});
type Item = z.infer<typeof item>;
const alertBody = z.strictObject({ listAlert: z.array(item), vin: z.string(), contract: z.string() });
const listBody = z.strictObject({
  listAlert: z.array(item.extend({ vin: z.string().length(17), contract: z.string().min(1) })),
});

/** What v4 says of an alert; its own contract tests check the rest of the body. */
const v4Alert = z.object({
  id: z.string(),
  active: z.boolean(),
  type: z.enum(SIMULATED_ALERT_TYPES),
  startedAt: z.string(),
  endAt: z.string().optional(),
  updatedAt: z.string(),
});
type V4Alert = z.infer<typeof v4Alert>;
const v4Page = z.object({
  _links: z.object({ next: z.object({ href: z.string() }).optional() }),
  _embedded: z.object({ alerts: z.array(v4Alert) }).optional(),
});

/** Every page of v4's alerts of a car, newest first. */
async function v4Alerts(vehicle: SimVehicle): Promise<V4Alert[]> {
  const alerts: V4Alert[] = [];
  let next: string | undefined = `/user/vehicles/${vehicle.id}/alerts?pageSize=60`;
  while (next) {
    const body = await server.expectOk(server.v4Get(next, vehicle.ownerIndex));
    const page = v4Page.parse(body);
    alerts.push(...(page._embedded?.alerts ?? []));
    next = page._links.next?.href;
  }
  return alerts;
}

async function v1Alerts(vehicle: SimVehicle, active: '0' | '1', extra: Query = {}) {
  const body = await server.expectOk(server.get(ALERT_PATH(vehicle), query(vehicle, { active, ...extra })));
  psaV1MaintenanceAlertsSchema.parse(body);
  const parsed = alertBody.parse(body);
  expect(parsed.vin).toBe(vehicle.vin);
  expect(parsed.contract).toBe(vehicle.contract);
  return parsed.listAlert;
}

/** The fields v1 shares with v4, as v4 words them. */
const fromV4 = (alert: V4Alert) => ({
  idAlert: alert.id,
  dateUpdate: alert.updatedAt,
  dateAlertBegin: alert.startedAt,
  dateAlertEnd: alert.endAt ?? '',
  alertState: alert.active ? 1 : 0,
});
const shared = ({ idAlert, dateUpdate, dateAlertBegin, dateAlertEnd, alertState }: Item) => ({
  idAlert,
  dateUpdate,
  dateAlertBegin,
  dateAlertEnd,
  alertState,
});

let chosen: SimVehicle[] | undefined;

/**
 * The cars under test: the demo owner's two, every Peugeot, Citroën or DS peer with both active and
 * ended alerts at NOW (found from the fleet, not assumed), and one Citroën-or-DS car for the other keys.
 */
function carsUnderTest(): SimVehicle[] {
  chosen ??= findCars();
  return chosen;
}

function findCars(): SimVehicle[] {
  const world = server.ctx.world;
  const cars = [...world.ownerAt(0).vehicles];
  let otherBrand: SimVehicle | undefined;
  for (let index = 1; index < world.ownerCount; index++) {
    for (const car of world.ownerAt(index).vehicles) {
      if (car.brand === 'opel') continue;
      const served = alertsBetween(server.ctx, car, server.ctx.fleet.historyStartMs(car, NOW), NOW + 1, NOW);
      const both = served.some((alert) => alert.active) && served.some((alert) => !alert.active);
      if (both) cars.push(car);
      else if (!otherBrand && car.brand !== 'peugeot' && served.length > 0) otherBrand = car;
    }
  }
  if (otherBrand && !cars.some((car) => car.brand !== 'peugeot')) cars.push(otherBrand);
  return cars;
}

describe('PSA v1 GET /maintenance/alert/{vin}', () => {
  it('lists the alerts v4 lists for the same car at the same instant, split by active', async () => {
    const cars = carsUnderTest();
    let carsWithBoth = 0;
    for (const car of cars) {
      const v4 = await v4Alerts(car);
      const on = await v1Alerts(car, '1');
      const ended = await v1Alerts(car, '0');
      expect(on.map(shared)).toEqual(v4.filter((alert) => alert.active).map(fromV4));
      expect(ended.map(shared)).toEqual(v4.filter((alert) => !alert.active).map(fromV4));
      for (const alert of ended) {
        expect(Date.parse(alert.dateAlertEnd)).toBeGreaterThan(Date.parse(alert.dateAlertBegin));
        expect(Date.parse(alert.dateAlertEnd)).toBeLessThanOrEqual(NOW);
      }
      if (on.length > 0 && ended.length > 0) carsWithBoth++;
    }
    // The world at this instant has peers with faults still on: the split is exercised for real.
    expect(carsWithBoth).toBeGreaterThanOrEqual(2);
    expect(cars.some((car) => car.brand !== 'peugeot')).toBe(true);
  });

  it('writes titles, advice and groups in English or French, as the referential names them', async () => {
    const referential = async (locale: string) => {
      const body = await server.expectOk(
        server.get('/referential/alert', { client_id: server.keyOf(server.combustion), locale }),
      );
      const rows = z
        .array(z.object({ indicatorCode: z.string(), indicatorLabel: z.string(), rgrpLabel: z.string() }))
        .parse(body);
      return new Map(rows.map((row) => [row.indicatorCode, row]));
    };
    const english = await referential('en_GB');
    const french = await referential('fr_FR');
    const adviceByType = new Map<string, { en: string; fr: string }>();
    for (const car of carsUnderTest().slice(0, 4)) {
      const types = new Map((await v4Alerts(car)).map((alert) => [alert.id, alert.type]));
      for (const active of ['0', '1'] as const) {
        const en = await v1Alerts(car, active);
        const fr = await v1Alerts(car, active, { locale: 'fr_FR' });
        expect(fr.map(shared)).toEqual(en.map(shared));
        for (const [i, alert] of en.entries()) {
          const type = types.get(alert.idAlert) ?? '';
          const inFrench = fr[i] as Item;
          expect(alert.alert).toBe(english.get(type)?.indicatorLabel);
          expect(alert.category).toBe(english.get(type)?.rgrpLabel);
          expect(inFrench.alert).toBe(french.get(type)?.indicatorLabel);
          expect(inFrench.category).toBe(french.get(type)?.rgrpLabel);
          expect(inFrench.advise).not.toBe(alert.advise);
          // One advice per type and language, whichever car or alert.
          const seen = adviceByType.get(type) ?? { en: alert.advise, fr: inFrench.advise };
          expect({ en: alert.advise, fr: inFrench.advise }).toEqual(seen);
          adviceByType.set(type, seen);
        }
      }
    }
    expect(adviceByType.size).toBeGreaterThanOrEqual(3);
  });

  it('refuses a bad active, locale or brand with 400 and a car it cannot serve with 404', async () => {
    const car = server.combustion;
    const path = ALERT_PATH(car);
    for (const bad of [
      { active: undefined },
      { active: '' },
      { active: '2' },
      { active: 'true' },
      { active: '01' },
      { locale: undefined },
      { locale: 'french' },
      { brand: undefined },
      { brand: 'X' },
      { contract: undefined },
    ]) {
      await server.expectRefusal(server.get(path, query(car, { active: '1', ...bad })), 400);
    }
    await server.expectRefusal(server.get(path, query(car, { active: ['1', '0'] })), 400);
    for (const wrong of [{ brand: 'C' }, { contract: 'CT00000000' }]) {
      await server.expectRefusal(server.get(path, query(car, { active: '1', ...wrong })), 404);
    }
    const unknownVin = `${car.vin.slice(0, 11)}999999`;
    await server.expectRefusal(
      server.get(`/maintenance/alert/${unknownVin}`, query(car, { active: '1' })),
      404,
    );
    await server.expectRefusal(server.post(path, query(car, { active: '1' }), {}), 405);
  });

  it('never fails with a 500 whatever the query says', async () => {
    const car = server.combustion;
    const odd = ['', ' ', '%', '1 ', '-1', '1e0', 'ü', 'x'.repeat(300), '0x1', 'null'];
    for (const [i, value] of odd.entries()) {
      const name = (['active', 'locale', 'brand', 'contract'] as const)[i % 4] ?? 'active';
      const answer = await server.get(ALERT_PATH(car), query(car, { active: '0', [name]: value }));
      expect([200, 400, 404], `${name}=${value}`).toContain(answer.status);
    }
  });
});

describe('PSA v1 POST /maintenance/list/alert', () => {
  it('answers one listAlert with each car’s items and its vin and contract, in the order asked', async () => {
    const cars = carsUnderTest().filter((car) => car.brand === 'peugeot');
    expect(cars.length).toBeGreaterThanOrEqual(3);
    const [first] = cars as [SimVehicle];
    const foreign = carsUnderTest().find((car) => car.brand !== 'peugeot') as SimVehicle;
    const unknownVin = `${first.vin.slice(0, 11)}999999`;
    // A car of another brand and an unknown VIN are left out, as their lookups would be 404.
    const asked = [...cars].reverse();
    const body = {
      listvin: [...asked.map((car) => car.vin), foreign.vin, unknownVin],
      listcontract: [...asked.map((car) => car.contract), foreign.contract, 'CT00000000'],
    };
    for (const active of ['0', '1'] as const) {
      const { client_id, locale, brand } = query(first);
      const answer = await server.post(LIST_PATH, { client_id, locale, brand, active }, body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const expected = [];
      for (const car of asked) {
        for (const alert of await v1Alerts(car, active)) {
          expected.push({ ...alert, vin: car.vin, contract: car.contract });
        }
      }
      psaV1MaintenanceAlertListSchema.parse(answer.body);
      expect(listBody.parse(answer.body).listAlert).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    }
  });

  it('refuses a bad query or body with 400 and answers an empty list when no car matches', async () => {
    const car = server.combustion;
    const { client_id } = query(car);
    const good = { client_id, locale: 'fr_FR', brand: 'P', active: '1' };
    const pair = { listvin: [car.vin], listcontract: [car.contract] };
    const unknown = { listvin: [`${car.vin.slice(0, 11)}999999`], listcontract: ['CT00000000'] };
    for (const bad of [{ active: '3' }, { active: undefined }, { locale: 'fr' }, { brand: undefined }]) {
      // The query is checked even when no car of the list exists.
      await server.expectRefusal(server.post(LIST_PATH, { ...good, ...bad }, unknown), 400);
    }
    for (const badBody of [
      '{"listvin": [',
      { listvin: [car.vin] },
      { listvin: [car.vin], listcontract: [] },
      { listvin: [], listcontract: [] },
      { listvin: ['NOT-A-VIN'], listcontract: ['x'] },
      [car.vin],
      {
        listvin: Array.from({ length: MAX_LIST_VEHICLES + 1 }, () => car.vin),
        listcontract: Array.from({ length: MAX_LIST_VEHICLES + 1 }, () => car.contract),
      },
    ]) {
      await server.expectRefusal(server.post(LIST_PATH, good, badBody), 400);
    }
    const empty = await server.post(LIST_PATH, good, unknown);
    expect(empty).toEqual({ status: 200, body: { listAlert: [] } });
    // Brand C with a Peugeot key's car: the pair names no car of that brand.
    const otherBrand = await server.post(LIST_PATH, { ...good, brand: 'C' }, pair);
    expect(otherBrand).toEqual({ status: 200, body: { listAlert: [] } });
    await server.expectRefusal(server.get(LIST_PATH, good), 405);
  });
});

describe('alert texts', () => {
  it('has an English and a French title, advice and group for every simulated type', () => {
    for (const locale of ['en', 'fr'] as const) {
      const titles = SIMULATED_ALERT_TYPES.map((type) => ALERT_TEXTS[type].title[locale]);
      // Distinct titles: a v1 alert maps back to one referential code by its label.
      expect(new Set(titles).size).toBe(SIMULATED_ALERT_TYPES.length);
    }
    for (const type of SIMULATED_ALERT_TYPES) {
      const { title, advice, group } = ALERT_TEXTS[type];
      expect(Object.keys(ALERT_GROUPS)).toContain(group);
      expect(title.fr).not.toBe(title.en);
      expect(advice.fr).not.toBe(advice.en);
      for (const text of [advice.en, advice.fr]) {
        // Concrete advice: at least a sentence saying what to do, ending like one.
        expect(text.length, `${type}: ${text}`).toBeGreaterThanOrEqual(60);
        expect(text).toMatch(/[.]$/);
      }
      for (const text of [title.en, title.fr, advice.en, advice.fr]) expect(text).not.toMatch(/'|\s{2}/);
    }
  });
});
