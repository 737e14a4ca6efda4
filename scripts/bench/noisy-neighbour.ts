import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../lib/auth/password';
import { openSqlite } from '../../lib/db/client';
import { refreshRollups } from '../../lib/db/queries/rollups';
import { writeVehicleData } from '../../lib/db/queries/vehicle-data';
import { createVehicle } from '../../lib/db/queries/vehicles';
import { emptyVehicleData } from '../../lib/telemetry/model';
import { type Nginx, startNginx } from '../support/nginx';
import { freePort, startBuiltAppServer } from './app-server';
import { signIn } from './auth-session';
import { driveDays } from './telemetry-api/drive-year';
import type { Benchmark, BenchRow, StandaloneContext } from './types';
import { formatInteger, p95 } from './types';

// docs/security-tests.md LD-03, "rate limiting protects others": 20 owners read their dashboards
// (one connection each, a read every PACE_MS — a day and a week of telemetry, the trip list, the
// vehicle list — so that their own load leaves the app headroom, as LD-01's budget assumes) for
// DURATION_S on loopback; then again while one more owner sends 200 telemetry requests a
// second at the same app. The owners' p95 in both runs and how much it rose (target < 20 %), and
// what the flood got (it must meet 429 with Retry-After). The app starts without the demo and its
// simulated peers (nothing else syncing), on SQLite; every owner's car holds two days of 1 Hz
// driving written through the app's own write path. Measured twice: against the app alone (its
// own per-owner budget refuses the flood, but each refusal still costs it CPU), and behind nginx
// with deploy/nginx/kinetic.conf, the production layout of docs/deploy.md (the proxy refuses the
// flood before Node.js). Run alone:
// `npx tsx --conditions=react-server scripts/bench/run-one.ts noisy-neighbour`.

const QUIET_OWNERS = 20;
const DURATION_S = Number(process.env.NOISY_DURATION_S ?? 40);
const WARM_UP_S = 3;
/** Each owner starts a read this often (or as soon as the last one ends, when it takes longer). */
const PACE_MS = 500;
const FLOOD_PER_S = 200;
const TARGET_RISE = 0.2;
const DAYS = 2;
const START = Date.UTC(2026, 2, 1);
const PASSWORD = 'noisy neighbour benchmark password';

type Owner = { email: string; vehicleId: string; cookie: string };

/** The owners and their cars, written into the app's SQLite file as sign-up and a sync would. */
async function seedOwners(dataDir: string, count: number): Promise<Omit<Owner, 'cookie'>[]> {
  const handle = openSqlite(path.join(dataDir, 'kinetic.db'));
  const passwordHash = await hashPassword(PASSWORD);
  try {
    const owners: Omit<Owner, 'cookie'>[] = [];
    for (let i = 0; i < count; i++) {
      const email = `noisy-bench-${i}@example.invalid`;
      const now = Date.now();
      const userId = randomUUID();
      await handle.db
        .insertInto('users')
        .values({
          id: userId,
          email,
          name: null,
          password_hash: passwordHash,
          is_demo: 0,
          time_zone: null,
          disabled_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const vehicle = await createVehicle(handle.db, userId, {
        label: `Bench car ${i}`,
        brand: 'peugeot',
        model: '208',
        powertrain: 'petrol',
        vin: `VF3NOISY${String(i).padStart(9, '0')}`,
      });
      const samples = [...driveDays(START, DAYS)].flatMap((day) => day.samples);
      await handle.db.transaction().execute((trx) =>
        writeVehicleData(trx, vehicle.id, { ...emptyVehicleData(), samples }, [], Date.now(), {
          deriveLater: true,
        }),
      );
      await refreshRollups(handle.db, vehicle.id, START, START + DAYS * 86_400_000);
      owners.push({ email, vehicleId: vehicle.id });
    }
    return owners;
  } finally {
    await handle.close();
  }
}

function telemetryUrl(owner: Omit<Owner, 'cookie'>, days: number, width: number): string {
  const to = new Date(START + DAYS * 86_400_000).toISOString();
  const from = new Date(START + DAYS * 86_400_000 - days * 86_400_000).toISOString();
  return `/api/vehicles/${owner.vehicleId}/telemetry?metrics=speed,rpm,consumption&from=${from}&to=${to}&width=${width}`;
}

/** One owner's reads, in the order they repeat. */
const readsOf = (owner: Owner) => [
  telemetryUrl(owner, 1, 800),
  '/api/trips',
  telemetryUrl(owner, 7, 800),
  '/api/vehicles',
];

/** Every owner reads every PACE_MS for `seconds`; the latencies of 200 answers and any other status. */
async function readLoop(baseUrl: string, owners: Owner[], seconds: number) {
  const latencies: number[] = [];
  const failures: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    owners.map(async (owner) => {
      const reads = readsOf(owner);
      for (let i = 0; performance.now() < until; i++) {
        const started = performance.now();
        const response = await fetch(`${baseUrl}${reads[i % reads.length]}`, {
          headers: { cookie: owner.cookie },
        });
        await response.arrayBuffer();
        const took = performance.now() - started;
        if (response.status === 200) latencies.push(took);
        else failures.push(response.status);
        if (took < PACE_MS) await new Promise((resolve) => setTimeout(resolve, PACE_MS - took));
      }
    }),
  );
  return { latencies, failures };
}

/** FLOOD_PER_S telemetry requests a second from one owner, open loop, until `stop` resolves. */
async function flood(baseUrl: string, owner: Owner, stop: Promise<void>) {
  const statuses = new Map<number, number>();
  let retryAfterSeen = false;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  const url = `${baseUrl}${telemetryUrl(owner, 7, 1600)}`;
  const tickMs = 50;
  while (!stopped) {
    for (let i = 0; i < (FLOOD_PER_S * tickMs) / 1000; i++) {
      const request = fetch(url, { headers: { cookie: owner.cookie } })
        .then(async (response) => {
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status === 429 && Number(response.headers.get('retry-after')) >= 1)
            retryAfterSeen = true;
        })
        .catch(() => {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
        })
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
  await Promise.all(inFlight);
  return { statuses, retryAfterSeen };
}

/** The quiet owners alone, then beside the flood, all through `baseUrl`: one row. */
async function measure(baseUrl: string, owners: Owner[], noisy: Owner, layout: string): Promise<BenchRow> {
  await readLoop(baseUrl, owners, WARM_UP_S);
  const calm = await readLoop(baseUrl, owners, DURATION_S);
  let endFlood = () => {};
  const floodOver = new Promise<void>((resolve) => {
    endFlood = resolve;
  });
  const flooding = flood(baseUrl, noisy, floodOver);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const busy = await readLoop(baseUrl, owners, DURATION_S);
  endFlood();
  const floodResult = await flooding;

  const calmP95 = p95(calm.latencies);
  const busyP95 = p95(busy.latencies);
  const rise = busyP95 / calmP95 - 1;
  const refused = floodResult.statuses.get(429) ?? 0;
  const sent = [...floodResult.statuses.values()].reduce((sum, n) => sum + n, 0);
  const quietFailures = calm.failures.length + busy.failures.length;
  const meets = rise < TARGET_RISE && quietFailures === 0 && refused > 0 && floodResult.retryAfterSeen;
  const statusList = [...floodResult.statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${formatInteger(n)} × ${status === 0 ? 'network error' : status}`)
    .join(', ');
  return {
    benchmark: `Noisy neighbour (LD-03, SQLite, ${layout}): ${QUIET_OWNERS} owners each reading their dashboard every ${PACE_MS} ms (telemetry day and week, trips, vehicles) for ${DURATION_S} s, then again while one more owner sends ${FLOOD_PER_S} telemetry requests a second`,
    figure:
      `owners' p95 ${calmP95.toFixed(0)} ms alone, ${busyP95.toFixed(0)} ms beside the flood (${rise >= 0 ? '+' : ''}${(rise * 100).toFixed(0)} %; ` +
      `${formatInteger(calm.latencies.length)} and ${formatInteger(busy.latencies.length)} reads, ${quietFailures} refused); ` +
      `the flood: ${statusList} of ${formatInteger(sent)}${floodResult.retryAfterSeen ? ', Retry-After given' : ''}; ` +
      `load average ${loadavg()[0]?.toFixed(1)} at the end`,
    target: `rise < ${TARGET_RISE * 100} %, the flood meets 429 with Retry-After, no owner refused`,
    status: meets ? 'meets' : 'misses',
  };
}

async function run(_context: StandaloneContext): Promise<BenchRow[]> {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const app = await startBuiltAppServer(root, { env: { DEMO: '0', SIM_PEERS: '0' } });
  let nginx: Nginx | undefined;
  try {
    const seeded = await seedOwners(app.dataDir, QUIET_OWNERS + 1);
    const owners: Owner[] = [];
    // Signed in at the app itself, each from an address of its own: 21 sign-ins from the one
    // address nginx would append meet the per-address sign-in limit, which its own tests cover.
    for (const [index, owner] of seeded.entries())
      owners.push({
        ...owner,
        cookie: await signIn(app.baseUrl, owner.email, `198.51.100.${index + 1}`, PASSWORD),
      });
    const noisy = owners.pop() as Owner;

    const rows = [await measure(app.baseUrl, owners, noisy, 'the app alone')];
    nginx = await startNginx({
      upstreams: [`127.0.0.1:${new URL(app.baseUrl).port}`],
      port: await freePort(),
    });
    rows.push(await measure(nginx.origin, owners, noisy, 'behind nginx with deploy/nginx/kinetic.conf'));
    return rows;
  } finally {
    await nginx?.stop();
    await app.stop();
  }
}

export const noisyNeighbour: Benchmark = { name: 'noisy-neighbour', standalone: true, run };
