import { type ChildProcess, spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { waitForHttp } from '../support/supervisor';
import { freePort } from './app-server';
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

async function startSimulator(port: number): Promise<ChildProcess> {
  const child = spawn('node_modules/.bin/tsx', ['--conditions=react-server', 'scripts/simulator.ts'], {
    env: {
      ...process.env,
      SIM_PORT: String(port),
      SIM_PEERS: String(PEERS),
      SIM_TEST_TOKENS: '1',
      SIM_FAULTS: '',
    },
    stdio: 'ignore',
  });
  if (!(await waitForHttp(`http://localhost:${port}/health`, 60_000))) {
    child.kill('SIGTERM');
    throw new Error('the simulator did not answer /health within 60 s');
  }
  return child;
}

async function json(url: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

/** Owner `index` of the world, signed in through the test-token endpoint. */
async function carOf(base: string, index: number, clients: Map<string, { clientId: string; realm: string }>) {
  const page = (await json(`${base}/sim/owners?offset=${index}&limit=1`)) as {
    owners: { email: string; brand: string; vehicles: { id: string }[] }[];
  };
  const owner = page.owners[0];
  const vehicle = owner?.vehicles[0];
  const client = owner ? clients.get(owner.brand) : undefined;
  if (!owner || !vehicle || !client) throw new Error(`owner ${index} has no car or client`);
  const tokens = (await json(`${base}/sim/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ owner: owner.email, brand: owner.brand }),
  })) as { access_token: string };
  return { vehicleId: vehicle.id, ...client, token: tokens.access_token };
}

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
  const simulator = await startSimulator(port);
  try {
    const owners = (await json(`${base}/sim/owners?limit=1`)) as {
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
