import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../clock';
import { createSimContext } from '../context';
import { createSimulatorServer } from '../server';
import type { SimVehicle } from '../world/world';
import { V1_ROUTES, v1Routes } from './routes';

// Garbage in, 4xx out: every v1 operation called with random path parameters, query values and
// bodies — valid ones mixed with junk so that the handlers, not only the parsers, are reached —
// answers 200 or a 4xx in the gateway's error shape. Never a 5xx, never a crash.

const NOW = Date.parse('2026-03-02T18:30:00Z');
const ctx = createSimContext({ seed: 'v1-fuzz', peers: 8, clock: new SimClock({ now: NOW, frozen: true }) });
const [petrol, electric] = ctx.world.ownerAt(0).vehicles as [SimVehicle, SimVehicle];
const key = ctx.world.clientFor('peugeot').clientId;
let origin: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const server = createSimulatorServer(ctx, [v1Routes]);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

type Raw = { status: number; contentType: string; body: string };

function send(method: string, path: string, body?: string): Promise<Raw> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        hostname,
        port,
        path,
        method,
        // Node frames a GET or DELETE body only when told its length.
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body ?? '')),
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            contentType: String(incoming.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const day = (offset: number) =>
  new Date(NOW + offset * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
const trips = ctx.fleet.timelineOf(petrol).tripsBetween(NOW - 3 * 86_400_000, NOW);
const tripIds = trips.map((trip) => {
  const [, d, n] = /-(\d+)-(\d+)$/.exec(trip.id) ?? [];
  return String(Number(d) * 1000 + Number(n));
});

const junk = fc.oneof(
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.constantFrom('', '%', '%zz', '-1', '0', '1e9', 'NaN', '99999999999', '%EF%BC%91', 'null'),
);
const PARAMS: Record<string, fc.Arbitrary<string>> = {
  vin: fc.oneof(fc.constantFrom(petrol.vin, electric.vin, 'VF3AAAAAAAAAAAAAA', 'VF3IIIIIIIIIIIIII'), junk),
  tripid: fc.oneof(fc.constantFrom(...tripIds, '0', '123'), junk),
  contract: fc.oneof(fc.constantFrom(petrol.contract, electric.contract), junk),
};
const QUERY: Record<string, fc.Arbitrary<string>> = {
  contract: fc.constantFrom(petrol.contract, electric.contract, 'nope'),
  locale: fc.oneof(fc.constantFrom('en_GB', 'fr_FR', 'de_DE'), junk),
  brand: fc.oneof(fc.constantFrom('P', 'C'), junk),
  unit: fc.oneof(fc.constantFrom('0', '1'), junk),
  listsecond: fc.oneof(fc.constantFrom('1,2,3', '60', '', '10,20'), junk),
  near: fc.oneof(fc.constantFrom('0', '1', 'true'), junk),
  limit: fc.oneof(fc.constantFrom('1', '10', '1000', '1001'), junk),
  active: fc.oneof(fc.constantFrom('0', '1'), junk),
  price: fc.oneof(fc.constantFrom('1.85', '0', '-2', '1e400'), junk),
  tripid: fc.oneof(fc.constantFrom(...tripIds), junk),
  from: fc.oneof(fc.constantFrom(day(-3), day(0), '20260230'), junk),
  to: fc.oneof(fc.constantFrom(day(0), day(-5)), junk),
  fromday: fc.oneof(fc.constantFrom(day(-3), day(0)), junk),
  today: fc.oneof(fc.constantFrom(day(0), day(-400)), junk),
  day: fc.oneof(fc.constantFrom(day(-1), day(0)), junk),
  frommonth: fc.oneof(fc.constantFrom('202602', '202603', '202613'), junk),
  tomonth: fc.oneof(fc.constantFrom('202603', '199901'), junk),
};
const body = fc.oneof(
  fc.constant(
    JSON.stringify({
      listvin: [petrol.vin, electric.vin],
      listcontract: [petrol.contract, electric.contract],
    }),
  ),
  fc.json(),
  fc.string({ maxLength: 40 }),
  fc
    .record({ listvin: fc.array(junk, { maxLength: 3 }), listcontract: fc.array(junk, { maxLength: 3 }) })
    .map((value) => JSON.stringify(value)),
);

const gatewayError = (raw: Raw) => {
  const parsed = JSON.parse(raw.body) as Record<string, unknown>;
  return parsed.httpCode === String(raw.status) && typeof parsed.moreInformation === 'string';
};

describe('v1 under random input', () => {
  it('answers every operation with 200 or a 4xx in the gateway shape', async () => {
    expect(V1_ROUTES.length).toBeGreaterThan(0);
    const call = fc.record({
      route: fc.constantFrom(...V1_ROUTES),
      pathValues: fc.record(PARAMS),
      query: fc.record(QUERY, { requiredKeys: [] }),
      body,
      wrongMethod: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(call, async ({ route, pathValues, query, body, wrongMethod }) => {
        const path = route.path.replace(
          /\{(\w+)\}/g,
          (_, name: string) => pathValues[name as keyof typeof pathValues] ?? 'x',
        );
        const search = new URLSearchParams({ client_id: key });
        for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, value);
        const method = wrongMethod ? (route.method === 'GET' ? 'DELETE' : 'GET') : route.method;
        const raw = await send(
          method,
          `/dev/connectedcar/v1${path}?${search}`,
          method === 'GET' ? undefined : body,
        );
        expect(raw.status, `${method} ${path} → ${raw.body}`).toBeLessThan(500);
        expect(raw.contentType).toMatch(/^application\/json/);
        if (raw.status !== 200) expect(gatewayError(raw), raw.body).toBe(true);
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});
