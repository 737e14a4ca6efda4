import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  psaV1AlertReferentialSchema,
  psaV1MaintenanceReferentialSchema,
} from '../../../vehicle-api/psa-v1/schema';
import { PSA_V4_ALERT_TYPES } from '../../../vehicle-api/psa-v4/schema';
import { ALERT_CATALOGUE } from '../../fleet/alerts';
import type { SimVehicle } from '../../world/world';
import { type Query, setupV1Server } from '../test-server';

// PSA v1 GET /referential/alert and GET /referential/maintenance over real HTTP: complete (every
// alert type the simulator raises, every value GET /maintenance/{vin} answers), in the caller's
// language, and worded as the endpoints that use them. Bodies also pass Kinetic's v1 client schemas.

const server = setupV1Server({ seed: 'v1-referential-test' });

const row = z.strictObject({
  indicatorCode: z.string().min(1),
  indicatorLabel: z.string().min(1),
  rgrpCode: z.string().min(1),
  rgrpLabel: z.string().min(1),
});
type Row = z.infer<typeof row>;

const peugeotKey = server.ctx.world.clientFor('peugeot').clientId;

async function referential(name: 'alert' | 'maintenance', query: Query = {}): Promise<Row[]> {
  const body = await server.expectOk(server.get(`/referential/${name}`, { client_id: peugeotKey, ...query }));
  (name === 'alert' ? psaV1AlertReferentialSchema : psaV1MaintenanceReferentialSchema).parse(body);
  return z.array(row).parse(body);
}

/** Each group code has one label, and no label names two groups. */
function expectConsistentGroups(rows: readonly Row[]) {
  const labels = new Map<string, string>();
  for (const { rgrpCode, rgrpLabel } of rows) {
    expect(labels.get(rgrpCode) ?? rgrpLabel).toBe(rgrpLabel);
    labels.set(rgrpCode, rgrpLabel);
  }
  expect(new Set(labels.values()).size).toBe(labels.size);
}

describe('PSA v1 GET /referential/alert', () => {
  it('lists every alert type the simulator raises once, by its 4.17 name', async () => {
    const rows = await referential('alert');
    const codes = rows.map((entry) => entry.indicatorCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(ALERT_CATALOGUE.map((entry) => entry.type).sort());
    for (const code of codes) expect(PSA_V4_ALERT_TYPES).toContain(code);
    expect(new Set(rows.map((entry) => entry.indicatorLabel)).size).toBe(rows.length);
    expectConsistentGroups(rows);
  });

  it('speaks French for fr_FR, English otherwise, with the same codes and groups', async () => {
    const english = await referential('alert');
    const french = await referential('alert', { locale: 'fr_FR', brand: 'C' });
    expect(await referential('alert', { locale: 'de_DE', brand: 'P' })).toEqual(english);
    expect(await referential('alert', { locale: '', brand: '' })).toEqual(english);
    expect(french.map(({ indicatorCode, rgrpCode }) => ({ indicatorCode, rgrpCode }))).toEqual(
      english.map(({ indicatorCode, rgrpCode }) => ({ indicatorCode, rgrpCode })),
    );
    for (const [i, entry] of french.entries()) {
      expect(entry.indicatorLabel).not.toBe(english[i]?.indicatorLabel);
    }
    expect(french.find((entry) => entry.indicatorCode === 'RiskOfIce')?.indicatorLabel).toMatch(/verglas/i);
    expect(english.find((entry) => entry.indicatorCode === 'RiskOfIce')?.indicatorLabel).toMatch(/ice/i);
    expectConsistentGroups(french);
  });
});

describe('PSA v1 GET /referential/maintenance', () => {
  /** GET /maintenance/{vin}'s values by block, each with the label it writes beside the value. */
  async function maintenanceValues(car: SimVehicle, locale: string) {
    const body = await server.expectOk(
      server.get(`/maintenance/${car.vin}`, server.labelledQueryOf(car, locale)),
    );
    const label = z.object({ label: z.string(), groupLabel: z.string() });
    const parsed = z
      .object({
        fuel: z.record(z.string(), z.unknown()).optional(),
        maintenance: z.record(z.string(), z.unknown()),
      })
      .parse(body);
    const rows: Row[] = [];
    for (const [group, block] of Object.entries(parsed)) {
      for (const [name, value] of Object.entries(block ?? {})) {
        if (name.endsWith('Label')) continue;
        expect(typeof value === 'number' || typeof value === 'string').toBe(true);
        const text = label.parse(block?.[`${name}Label`]);
        rows.push({
          indicatorCode: name,
          indicatorLabel: text.label,
          rgrpCode: group,
          rgrpLabel: text.groupLabel,
        });
      }
    }
    return rows;
  }

  it('names every value GET /maintenance/{vin} answers, with the same labels, in both languages', async () => {
    const { combustion, electric } = server;
    for (const locale of ['en_GB', 'fr_FR']) {
      const rows = await referential('maintenance', { locale });
      // A car with an engine answers the fuel block too: every one of its values is listed, and nothing else.
      expect(rows).toEqual(await maintenanceValues(combustion, locale));
      const electricRows = await maintenanceValues(electric, locale);
      expect(electricRows.length).toBeGreaterThan(0);
      for (const entry of electricRows) expect(rows).toContainEqual(entry);
      expectConsistentGroups(rows);
    }
  });
});

describe('PSA v1 referential refusals', () => {
  it('refuses a malformed locale or brand with 400, other methods with 405, a bad key with 401', async () => {
    for (const name of ['alert', 'maintenance']) {
      const path = `/referential/${name}`;
      for (const bad of [{ locale: 'french' }, { locale: 'fr-FR' }, { brand: 'X' }, { brand: 'p' }]) {
        await server.expectRefusal(server.get(path, { client_id: peugeotKey, ...bad }), 400);
      }
      await server.expectRefusal(
        server.get(path, { client_id: peugeotKey, locale: ['fr_FR', 'en_GB'] }),
        400,
      );
      await server.expectRefusal(server.get(path, { client_id: 'nope' }), 401);
      await server.expectRefusal(server.post(path, { client_id: peugeotKey }, {}), 405);
    }
  });
});
