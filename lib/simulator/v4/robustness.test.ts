import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, startV4Server, type V4TestServer } from './test-server';

// Garbage in, 4xx JSON out: random paths, ids, percent-encoded junk, query strings and methods
// under /connectedcar/v4 never crash the simulator (no 500, always a JSON body). Requests go out
// through node:http with the raw path, so nothing is normalised on the way.

type RawResponse = { status: number; contentType: string; body: string; headers: Record<string, unknown> };

function rawRequest(
  origin: string,
  path: string,
  credentials: Credentials,
  options: { method?: string; host?: string } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  const headers: Record<string, string> = {};
  if (credentials.realm !== undefined) headers['x-introspect-realm'] = credentials.realm;
  if (credentials.token !== undefined) headers.authorization = `Bearer ${credentials.token}`;
  if (options.host !== undefined) headers.host = options.host;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { hostname, port, path, method: options.method ?? 'GET', headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            contentType: String(incoming.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
            headers: incoming.headers,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function withClientId(path: string, clientId: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}client_id=${clientId}`;
}

// Characters node:http lets through unescaped in a request path, plus the percent sign.
const PATH_CHARS = "abcdefABCDEF0123456789-._~!$&'()*+,;=:@%".split('');

const junkSegment = fc.oneof(
  fc.string({ unit: fc.constantFrom(...PATH_CHARS), maxLength: 40 }),
  fc.string({ maxLength: 20 }).map((text) => encodeURIComponent(text)),
  fc.constantFrom(
    '%',
    '%zz',
    '%E0%A4%A',
    '%00',
    '%2F',
    '%2e%2e',
    '..',
    '.',
    '',
    'user',
    'vehicles',
    'status',
  ),
  fc.integer({ min: 200, max: 3000 }).map((length) => 'f'.repeat(length)),
);

const junkQuery = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.constantFrom(
          'pageSize',
          'indexRange',
          'pageToken',
          'locale',
          'extension',
          'vinPrefix',
          'country',
          'x',
        ),
        fc.string({ unit: fc.constantFrom(...PATH_CHARS), maxLength: 30 }),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => pairs.map(([key, value]) => `${key}=${value}`).join('&')),
);

describe('PSA v4 robustness', () => {
  let server: V4TestServer;
  let demo: Required<Credentials>;

  beforeAll(async () => {
    server = await startV4Server();
    demo = server.credentialsFor(0);
  });
  afterAll(() => server.close());

  it('answers random paths and queries under /connectedcar/v4 with 4xx JSON, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(junkSegment, { minLength: 1, maxLength: 5 }),
        junkQuery,
        fc.boolean(),
        async (segments, query, underVehicles) => {
          const prefix = underVehicles ? '/connectedcar/v4/user/vehicles/' : '/connectedcar/v4/';
          const path = withClientId(
            `${prefix}${segments.join('/')}${query ? `?${query}` : ''}`,
            demo.clientId,
          );
          const response = await rawRequest(server.origin, path, demo);
          // 200 is fine when the junk happens to spell a real route (e.g. `user`).
          expect([200, 400, 403, 404]).toContain(response.status);
          expect(response.contentType).toMatch(/^application\/(hal\+)?json/);
          expect(() => JSON.parse(response.body)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers very long and percent-encoded vehicle ids with 4xx JSON', async () => {
    for (const [id, status] of [
      ['a'.repeat(8000), 403],
      ['%ff%fe', 400],
      ['%E0%A4%A', 400],
      [encodeURIComponent('../../user'), 403],
      ['%00', 403],
      [encodeURIComponent('<script>'), 403],
    ] as const) {
      const response = await rawRequest(
        server.origin,
        withClientId(`/connectedcar/v4/user/vehicles/${id}`, demo.clientId),
        demo,
      );
      expect(response.status, id.slice(0, 20)).toBe(status);
      const body = JSON.parse(response.body) as { code: number; message: string };
      expect(Math.floor(body.code / 100)).toBe(status);
      expect(body.message).not.toContain('<script>');
    }
  });

  it('answers other methods with 405 and Allow: GET, and unknown paths with 404', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
      const response = await rawRequest(
        server.origin,
        withClientId('/connectedcar/v4/user/vehicles', demo.clientId),
        demo,
        {
          method,
        },
      );
      expect(response.status, method).toBe(405);
      expect(response.headers.allow).toBe('GET');
      if (method !== 'HEAD') expect((JSON.parse(response.body) as { code: number }).code).toBe(40500);
    }
    for (const path of [
      '/connectedcar/v4',
      '/connectedcar/v4/',
      '/connectedcar/v4/user/',
      '/connectedcar/v4/users',
    ]) {
      const response = await rawRequest(server.origin, withClientId(path, demo.clientId), demo);
      expect(response.status, path).toBe(404);
      expect((JSON.parse(response.body) as { code: number }).code).toBe(40400);
    }
  });

  it('roots links at the Host header, and falls back to the socket address for a bad one', async () => {
    const path = withClientId('/connectedcar/v4/user', demo.clientId);
    const named = JSON.parse(
      (await rawRequest(server.origin, path, demo, { host: 'sim.example:4010' })).body,
    ) as {
      _links: { self: { href: string } };
    };
    expect(named._links.self.href).toBe('http://sim.example:4010/connectedcar/v4/user');
    const bad = JSON.parse((await rawRequest(server.origin, path, demo, { host: 'evil"/><x' })).body) as {
      _links: { self: { href: string } };
    };
    expect(bad._links.self.href).toBe(`${server.origin}/connectedcar/v4/user`);
  });
});

// Every read endpoint of a car, with random values for every parameter the v4 collections take:
// 200, or a 400/404 in the portal's error shape — never a 500, never a body that is not JSON.
const CAR_ENDPOINTS = [
  'status',
  'lastPosition',
  'telemetry',
  'maintenance',
  'alerts',
  'collisions',
  'trips',
] as const;

const paramValue = fc.oneof(
  fc.string({ unit: fc.constantFrom(...PATH_CHARS), maxLength: 30 }),
  fc.constantFrom(
    '2026-02-27T00:00:00Z/',
    '/2026-02-28T00:00:00Z',
    '2026-02-20T00:00:00Z/P3D',
    'R3/2026-02-25T00:00:00Z/P1D/PT2H',
    'R/2026-02-28T00:00:00Z/PT1H',
    '0-',
    '5-9',
    '9-5',
    '0.5-30',
    '-1',
    '1e9',
    'vehicle.engines',
    'vehicle',
    'location',
    'maintenance',
    'Nominal',
    'NaN',
    '2001',
  ),
);
const carQuery = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        'timestamps',
        'type',
        'extension',
        'indexRange',
        'pageSize',
        'pageToken',
        'distance',
        'duration',
        'states',
        'tolerance',
        'locale',
      ),
      paramValue,
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&'));

describe('PSA v4 robustness of every car endpoint', () => {
  let server: V4TestServer;
  let demo: Required<Credentials>;

  beforeAll(async () => {
    server = await startV4Server();
    demo = server.credentialsFor(0);
  });
  afterAll(() => server.close());

  it('answers random parameters with 200 or a 4xx in the API error shape', async () => {
    const vehicles = server.ctx.world.ownerAt(0).vehicles;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...vehicles.map((vehicle) => vehicle.id)),
        fc.constantFrom(...CAR_ENDPOINTS),
        carQuery,
        async (vehicleId, endpoint, query) => {
          const path = withClientId(
            `/connectedcar/v4/user/vehicles/${vehicleId}/${endpoint}${query ? `?${query}` : ''}`,
            demo.clientId,
          );
          const response = await rawRequest(server.origin, path, demo);
          expect([200, 400, 404], `${endpoint}?${query}`).toContain(response.status);
          const body = JSON.parse(response.body) as Record<string, unknown>;
          if (response.status !== 200) {
            expect(Object.keys(body).sort()).toEqual(['code', 'message', 'timestamp', 'uuid']);
            expect(Math.floor(Number(body.code) / 100)).toBe(response.status);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
