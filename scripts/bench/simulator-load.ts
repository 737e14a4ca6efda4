import autocannon from 'autocannon';
import { freePort } from './app-server';
import { signedInOwner, simJson, startSimulator } from './simulator-process';
import type { Benchmark, BenchRow } from './types';
import { formatInteger, median } from './types';

// The vehicle cloud under the load of a sync worker: a 100,000-owner world (SIM_PEERS at its
// maximum) in its own process, 200 requests a second for 20 s spread over the v4 read endpoints of
// a working set of cars spread across the world, in a worker's polling mix (below), after one
// cycle has warmed each car. Also reported: the first request for a car
// nobody asked about yet, which generates its timeline (a year block of plans, a day of physics).

const PEERS = 100_000;
const WORKING_SET = 200;
const COLD_SAMPLES = 30;
const RATE = 200;
const CONNECTIONS = 20;
const DURATION_S = 20;
const P95_TARGET_MS = 100;

type Car = { vehicleId: string; clientId: string; realm: string; token: string };

async function carOf(
  base: string,
  index: number,
  clients: Map<string, { clientId: string; realm: string }>,
): Promise<Car> {
  const { owner, token } = await signedInOwner(base, index);
  const vehicle = owner.vehicles[0];
  const client = clients.get(owner.brand);
  if (!vehicle || !client) throw new Error(`owner ${index} has no car or client`);
  return { vehicleId: vehicle.id, ...client, token };
}

/**
 * One polling cycle of a sync worker per car: the status most often, the collections less, each at
 * the API's default page size (60). Telemetry pages (≈ 1.3 kB a message) are the heaviest answer.
 */
const ENDPOINTS = [
  'status',
  'status',
  'status',
  'status',
  'lastPosition',
  'maintenance',
  'trips',
  'alerts',
  'telemetry',
  'telemetry',
] as const;

function v4Request(car: Car, endpoint: string) {
  const [path, query] = endpoint.split('?');
  const search = new URLSearchParams(query);
  search.set('client_id', car.clientId);
  return {
    method: 'GET' as const,
    path: `/connectedcar/v4/user/vehicles/${car.vehicleId}/${path}?${search}`,
    headers: { authorization: `Bearer ${car.token}`, 'x-introspect-realm': car.realm },
  };
}

async function run(): Promise<BenchRow[]> {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const simulator = await startSimulator(port, { peers: PEERS });
  try {
    const owners = (await simJson(`${base}/sim/owners?limit=1`)) as {
      clients: { brand: string; clientId: string; realm: string }[];
    };
    const clients = new Map(owners.clients.map((client) => [client.brand, client]));
    // Spread over the whole world (a fixed stride, so every run asks for the same cars). Brands
    // rotate with the owner index, so an odd stride spreads the load over all four brands' client
    // ids: each has its own 100 calls/s quota, as the real subscriptions do.
    const stride = Math.floor(PEERS / (WORKING_SET + COLD_SAMPLES)) | 1;
    const cars: Car[] = [];
    for (let i = 0; i < WORKING_SET + COLD_SAMPLES; i++)
      cars.push(await carOf(base, 1 + i * stride, clients));

    // Cold: the first status of a car generates its timeline.
    const coldMs: number[] = [];
    for (const car of cars.slice(WORKING_SET)) {
      const request = v4Request(car, 'status');
      const started = performance.now();
      const response = await fetch(`${base}${request.path}`, { headers: request.headers });
      await response.arrayBuffer();
      coldMs.push(performance.now() - started);
    }

    // Warm the working set once, as a worker's first sync would.
    const working = cars.slice(0, WORKING_SET);
    for (const car of working) {
      for (const endpoint of ENDPOINTS) {
        const request = v4Request(car, endpoint);
        await (await fetch(`${base}${request.path}`, { headers: request.headers })).arrayBuffer();
      }
    }

    let next = 0;
    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      overallRate: RATE,
      duration: DURATION_S,
      requests: [
        {
          setupRequest: (request) => {
            const car = working[next % working.length] as Car;
            const endpoint = ENDPOINTS[Math.floor(next / working.length) % ENDPOINTS.length] as string;
            next++;
            return { ...request, ...v4Request(car, endpoint) };
          },
        },
      ],
    });
    const codes = result.statusCodeStats as Record<string, { count: number }>;
    const count = (predicate: (code: number) => boolean) =>
      Object.entries(codes).reduce(
        (sum, [code, stats]) => sum + (predicate(Number(code)) ? stats.count : 0),
        0,
      );
    const ok = count((code) => code === 200);
    // 404 is the API's "no data for such context": a car with no alert or no trip today.
    const noData = count((code) => code === 404);
    const failures = count((code) => code !== 200 && code !== 404) + result.errors + result.timeouts;
    const failureCodes = Object.keys(codes).filter((code) => code !== '200' && code !== '404');
    const failureNote = failureCodes.length > 0 ? ` (HTTP ${failureCodes.join(', ')})` : '';
    // autocannon's histogram has p97.5 and p99 but no p95: interpolate from its percentiles.
    const p95 = result.latency.p90 + ((result.latency.p97_5 - result.latency.p90) * 5) / 7.5;
    const label = `Vehicle cloud v4, ${formatInteger(PEERS)}-owner world, ${RATE} req/s for ${DURATION_S} s over ${WORKING_SET} cars`;
    return [
      {
        benchmark: `${label}: p95 latency`,
        figure: `${p95.toFixed(1)} ms (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ${formatInteger(result.requests.mean)} req/s; ${formatInteger(ok)} × 200, ${formatInteger(noData)} × 404 no data, ${formatInteger(failures)} errors${failureNote})`,
        target: `≤ ${P95_TARGET_MS} ms, 0 errors`,
        status: p95 <= P95_TARGET_MS && failures === 0 ? 'meets' : 'misses',
      },
      {
        benchmark: `Vehicle cloud v4, first status of a car nobody asked about yet (median of ${COLD_SAMPLES})`,
        figure: `${median(coldMs).toFixed(1)} ms (max ${Math.max(...coldMs).toFixed(1)} ms)`,
        target: '—',
        status: 'report',
      },
    ];
  } finally {
    simulator.kill('SIGTERM');
  }
}

export const simulatorLoad: Benchmark = { name: 'vehicle cloud load', run };
