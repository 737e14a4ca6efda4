import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { freePort } from './app-server';
import { type SimOwner, signedInOwner, simClients, simJson, startSimulator } from './simulator-process';
import type { Benchmark, BenchRow } from './types';
import { formatInteger, median } from './types';

// The vehicle cloud's v1 API and webhook channel, in their own simulator process (default-sized
// world, 100 peers):
// - a sync worker's v1 mix (running data, maintenance, last trips, alerts) at 100 req/s over the
//   Peugeot and Citroën cars, p95 latency;
// - the eco-driving evaluation of a car's whole history window (30 days, every trace evaluated), the
//   first time it is asked and again;
// - webhooks: trip start and stop monitors on 40 cars while the clock runs 120× through a
//   weekday morning; the delay between the simulated instant of each event and its delivery.

const PEERS = 100;
const RATE = 100;
const DURATION_S = 15;
const P95_TARGET_MS = 100;
const ECO_TARGET_MS = 1500;
const MONITORED_CARS = 40;
const CLOCK_RATE = 120;
const WEBHOOK_RUN_S = 45;
const LAG_TARGET_MS = 2500;

type V1Car = { vin: string; contract: string; key: string; letter: 'P' | 'C' };

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function v1Cars(base: string): Promise<V1Car[]> {
  const clients = await simClients(base);
  const page = (await simJson(`${base}/sim/owners?limit=${PEERS + 1}`)) as { owners: SimOwner[] };
  return page.owners.flatMap((owner) =>
    owner.vehicles
      .filter((vehicle) => vehicle.brand !== 'opel')
      .map((vehicle) => ({
        vin: vehicle.vin,
        contract: vehicle.contract,
        key: clients.get(vehicle.brand)?.clientId ?? '',
        letter: vehicle.brand === 'peugeot' ? ('P' as const) : ('C' as const),
      })),
  );
}

const V1_MIX = [
  (car: V1Car) => `/running/data/${car.vin}?listsecond=`,
  (car: V1Car) => `/maintenance/${car.vin}?locale=en_GB&brand=${car.letter}`,
  (car: V1Car) => `/trip/last/${car.vin}?limit=10&unit=0`,
  (car: V1Car) => `/maintenance/alert/${car.vin}?locale=en_GB&brand=${car.letter}&active=1`,
];

const v1Path = (car: V1Car, path: string) =>
  `/dev/connectedcar/v1${path}${path.includes('?') ? '&' : '?'}client_id=${car.key}&contract=${car.contract}`;

async function v1Load(base: string, cars: V1Car[]): Promise<BenchRow> {
  // One cycle first, as a worker's first sync would: it generates each car's recent traces.
  for (const car of cars) {
    for (const operation of V1_MIX)
      await (await fetch(`${base}${v1Path(car, operation(car))}`)).arrayBuffer();
  }
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: 10,
    overallRate: RATE,
    duration: DURATION_S,
    requests: [
      {
        setupRequest: (request) => {
          const car = cars[next % cars.length] as V1Car;
          const operation = V1_MIX[Math.floor(next / cars.length) % V1_MIX.length] as (car: V1Car) => string;
          next++;
          return { ...request, method: 'GET', path: v1Path(car, operation(car)) };
        },
      },
    ],
  });
  const codes = result.statusCodeStats as Record<string, { count: number }>;
  const failures =
    Object.entries(codes).reduce(
      (sum, [code, stats]) => sum + (code === '200' || code === '404' ? 0 : stats.count),
      0,
    ) +
    result.errors +
    result.timeouts;
  const p95 = result.latency.p90 + ((result.latency.p97_5 - result.latency.p90) * 5) / 7.5;
  return {
    benchmark: `Vehicle cloud v1, ${RATE} req/s for ${DURATION_S} s over ${cars.length} cars (running data, maintenance, last trips, alerts): p95 latency`,
    figure: `${p95.toFixed(1)} ms (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ${formatInteger(result.requests.mean)} req/s; ${formatInteger(failures)} errors)`,
    target: `≤ ${P95_TARGET_MS} ms, 0 errors`,
    status: p95 <= P95_TARGET_MS && failures === 0 ? 'meets' : 'misses',
  };
}

async function ecoEvaluation(base: string, cars: V1Car[]): Promise<BenchRow> {
  const cold: number[] = [];
  const warm: number[] = [];
  for (const car of cars) {
    const path = v1Path(car, `/ecodriving/evaluation/get/${car.vin}?locale=fr_FR&brand=${car.letter}`);
    for (const times of [cold, warm]) {
      const started = performance.now();
      const response = await fetch(`${base}${path}`);
      await response.arrayBuffer();
      if (response.status !== 200 && response.status !== 404)
        throw new Error(`eco-driving answered ${response.status}`);
      times.push(performance.now() - started);
    }
  }
  return {
    benchmark: `Vehicle cloud v1, eco-driving evaluation of a car's 30-day history (median of ${cars.length} cars)`,
    figure: `${median(cold).toFixed(0)} ms the first time (max ${Math.max(...cold).toFixed(0)} ms), ${median(warm).toFixed(1)} ms again`,
    target: `≤ ${formatInteger(ECO_TARGET_MS)} ms the first time`,
    status: median(cold) <= ECO_TARGET_MS ? 'meets' : 'misses',
  };
}

/** The next Tuesday 06:30Z at or after now: a weekday morning, when commuters start. */
function tuesdayMorning(): number {
  const date = new Date();
  date.setUTCHours(6, 30, 0, 0);
  while (date.getUTCDay() !== 2) date.setUTCDate(date.getUTCDate() + 1);
  return date.getTime() - 7 * 86_400_000;
}

async function webhookLag(base: string): Promise<BenchRow> {
  const received: { eventMs: number; realMs: number; id: string }[] = [];
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const realMs = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as
        | { date: string }
        | { date: string }[];
      const ids = String(request.headers['x-event-id'] ?? '').split(',');
      for (const [i, message] of (Array.isArray(body) ? body : [body]).entries()) {
        received.push({ eventMs: Date.parse(message.date), realMs, id: ids[i] ?? '' });
      }
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    const clients = await simClients(base);
    const start = tuesdayMorning();
    await simJson(`${base}/sim/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: new Date(start).toISOString(), frozen: true }),
    });
    for (let index = 1; index <= MONITORED_CARS; index++) {
      const { owner, token } = await signedInOwner(base, index);
      const client = clients.get(owner.brand);
      const vehicle = owner.vehicles[0];
      if (!client || !vehicle) continue;
      const v4 = (path: string, body: unknown) =>
        simJson(`${base}/connectedcar/v4${path}?client_id=${client.clientId}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-introspect-realm': client.realm,
          },
          body: JSON.stringify(body),
        }) as Promise<{ callbackId?: string }>;
      const callback = await v4('/user/callbacks', {
        callback: {
          webhook: {
            name: 'bench',
            target,
            attributes: [{ type: 'Header', key: 'x-secret', value: 'bench' }],
          },
        },
      });
      await v4(`/user/vehicles/${vehicle.id}/callbacks/${callback.callbackId}/monitors`, {
        label: 'trips',
        triggerParam: {
          triggers: [
            { name: 'start', data: { data: 'vehicle.trip.start', op: 'onChange' } },
            { name: 'stop', data: { data: 'vehicle.trip.stop', op: 'onChange' } },
          ],
          boolExp: 'start | stop',
        },
      });
    }
    // Run the clock: simulated instant t is reached at real time realStart + (t − start) / rate.
    const realStart = Date.now();
    await simJson(`${base}/sim/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rate: CLOCK_RATE, frozen: false }),
    });
    await new Promise((resolve) => setTimeout(resolve, WEBHOOK_RUN_S * 1000));
    const lags = received.map(({ eventMs, realMs }) => realMs - (realStart + (eventMs - start) / CLOCK_RATE));
    const unique = new Set(received.map((message) => message.id)).size;
    if (lags.length === 0) throw new Error('no webhook arrived');
    const p95 = percentile(lags, 95);
    return {
      benchmark: `Webhooks: trip start/stop monitors on ${MONITORED_CARS} cars, clock ×${CLOCK_RATE} for ${WEBHOOK_RUN_S} s (${((WEBHOOK_RUN_S * CLOCK_RATE) / 3600).toFixed(1)} simulated hours): event to delivery, p95`,
      figure: `${formatInteger(p95)} ms (median ${formatInteger(median(lags))} ms; ${formatInteger(received.length)} messages, ${formatInteger(unique)} distinct ids)`,
      target: `≤ ${formatInteger(LAG_TARGET_MS)} ms`,
      status: p95 <= LAG_TARGET_MS && unique === received.length ? 'meets' : 'misses',
    };
  } finally {
    receiver.close();
  }
}

async function run(): Promise<BenchRow[]> {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const simulator = await startSimulator(port, { peers: PEERS });
  try {
    const cars = await v1Cars(base);
    const rows = [await ecoEvaluation(base, cars.slice(0, 10))];
    rows.push(await v1Load(base, cars));
    rows.push(await webhookLag(base));
    return rows;
  } finally {
    simulator.kill('SIGTERM');
  }
}

export const simulatorV1Webhooks: Benchmark = { name: 'vehicle cloud v1 and webhooks', run };
