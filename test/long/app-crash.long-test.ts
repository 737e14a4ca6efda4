import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/password';
import { sqlitePathFor } from '@/lib/db/client';
import { createUser, getUserByEmail } from '@/lib/db/queries/users';
import { DEMO_EMAIL } from '@/lib/demo/demo-owner';
import { DEFAULT_CLAIM_MS } from '@/lib/ingest/webhooks/process';
import { WEBHOOK_SECRET_HEADER } from '@/lib/ingest/webhooks/secret';
import { recordWebhookSubscription } from '@/lib/ingest/webhooks/subscriptions';
import { alertMessage, tripMessage, tripResource } from '@/lib/ingest/webhooks/test-support';
import { WORKER_DEFAULTS } from '@/lib/worker/sync-worker';
import { freePort, type PrivatePostgres, startPrivatePostgres } from '@/scripts/support/test-postgres';
import { openTestDatabase, type TestDatabase, type TestEngine } from '@/test/db-harness';
import {
  type AppChild,
  AppClient,
  type Attempt,
  acknowledged,
  appEnv,
  ensureBuild,
  freshAuthSecret,
  Sender,
  startApp,
} from './app-harness';
import { checkIntegrity, countProviderRecords, readImportedDrives, readWebhookEvents } from './db-state';
import { type Drive, makeDrive } from './upload-drives';
import {
  freshTokenKey,
  seededRandom,
  spawnWorker,
  startFrozenCloud,
  type WorkerChild,
  workerEnv,
} from './worker-harness';

// The crash test of issue 8 ("Crashes"): the app itself (the real build, `next start`, as
// docs/deploy.md runs an instance) is SIGKILLed at random moments while owners upload OBD logs
// (POST /api/imports) and the vehicle cloud delivers webhooks (POST /api/webhooks/psa), with the
// sync worker ingesting beside it — and the worker is SIGKILLed too, now and then in the same
// instant. On a SQLite file and on PostgreSQL. After every kill:
// - the database passes its integrity check (db-state.ts checkIntegrity);
// - every upload the app acknowledged (200 with its report) is stored exactly once: its drive's
//   samples counted once, its trips those the report named, nothing else in the car;
// - an upload that got no answer is wholly there or wholly absent, never in part; the client sends
//   it again once the app is back, and it ends stored once (the answer then imports the rest, or
//   nothing when the lost answer's transaction had committed);
// - the same holds for webhook deliveries: an acknowledged delivery's events are all stored, an
//   unanswered one's all or none.
// Re-sending a file already acknowledged must import nothing and name the same trips.
//
// Then, on PostgreSQL, the server is restarted once under the same load (`pg_ctl stop -m fast`,
// start again) without touching the app or the worker: while it is down every request must get a
// clear JSON error (503 `unavailable`) — never a hang, a dropped connection or a stack trace — and
// after it both must carry on by themselves (the pg pool opens new connections), with every
// acknowledged record there once.
//
// Kill moments and the clients' choices come from a seeded generator: the seed is printed, and
// `CRASH_SEED=<n> npx vitest run --config=vitest.long.config.mts test/long/app-crash.long-test.ts`
// replays a failing run's schedule (the moments the processes die still vary with the machine).

const seed = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : randomInt(2 ** 31);
console.log(`[app-crash] kill schedule seed ${seed} (replay: CRASH_SEED=${seed})`);

/** App kills per engine: at least 20 over the two. */
const APP_KILLS = 10;
/** Of which the worker dies in the same instant about this often, and at least MIN_WORKER_KILLS times. */
const WORKER_KILL_SHARE = 0.4;
const MIN_WORKER_KILLS = 3;
/** After the app answers again, the next kill comes this long later (uniformly), once uploads are in flight. */
const KILL_DELAY_MS = { min: 150, max: 1_200 };
const UPLOAD_CLIENTS = 3;
/** Each drive is the fixture this many times in a row (4 × 183 rows, 13 minutes). */
const DRIVE_COPIES = 4;
/** Drive n of a car starts n slots after the first: far apart, so no drive's trips touch another's. */
const DRIVE_SLOTS = { firstMs: Date.UTC(2026, 0, 5), spacingMs: 6 * 3_600_000 };
/** Share of uploads that re-send a drive the app already acknowledged (idempotence). */
const REUPLOAD_SHARE = 0.2;
const PASSWORD = 'correct horse battery staple';
/** The vehicle cloud: the demo owner's two cars and two peers, the clock moved on every round. */
const CLOUD = { seed: 'kinetic-app-crash', peers: 2, backfillDays: 0 } as const;
const CLOUD_START = Date.parse('2026-03-04T07:20:00Z');
const CLOUD_STEP_MS = 10 * 60_000;
const DELIVERY_PAUSE_MS = 100;
/** The PostgreSQL outage lasts at least this long, and until every client has met it. */
const OUTAGE_MIN_MS = 3_000;
/** Bounds on waits, so a failure ends the test instead of hanging it (not speed goals). */
const SETTLE_TIMEOUT_MS = 90_000;
/** A request that gets no answer within this long counts as a hang. */
const HANG_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = SETTLE_TIMEOUT_MS,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// The clients: owners uploading drives, the vehicle cloud delivering webhooks, an owner reading.

type ImportReport = {
  rowsRead: number;
  rowsImported: number;
  rowsDuplicate: number;
  rowsRejected: number;
  vehicleId: string;
  tripIds: string[];
};

type Upload = { slot: number; drive: Drive };

type Delivery = { index: number; eventIds: string[]; tripIds: string[]; alertIds: string[]; body: string };

type Stack = {
  engine: TestEngine;
  db: TestDatabase;
  sqliteFile: string | undefined;
  pg: PrivatePostgres | undefined;
  cloud: Awaited<ReturnType<typeof startFrozenCloud>>;
  appEnv: NodeJS.ProcessEnv;
  /** The app's TMPDIR. */
  spoolDir: string;
  workerEnv: NodeJS.ProcessEnv;
  app: AppChild;
  worker: WorkerChild;
  origin: string;
  owners: { email: string; client: AppClient; vehicleId: string; uploads: Map<number, Upload> }[];
  /** What every fresh drive imports: its rows, and its trips' count (from the first uploads). */
  expected: { samples: number; trips: number; rowsRead: number; rowsRejected: number };
  /** First acknowledged report per owner and slot. */
  reports: Map<string, ImportReport>;
  webhook: { callbackId: string; secret: string; vins: string[]; vehicleIds: string[] };
  deliveries: Delivery[];
  /** Deliveries the app acknowledged, whichever client sent them. */
  ackedDeliveries: Set<Delivery>;
  /** Mismatches the clients saw in answers (checked by the test, not thrown in the background). */
  problems: string[];
  /** Re-sends of drives already acknowledged, acknowledged again (with nothing imported). */
  reuploadsAcked: number;
  round: number;
};

const reportKey = (owner: number, slot: number) => `${owner}:${slot}`;

function uploadSender(stack: Stack, ownerIndex: number, random: () => number): Sender<Upload> {
  const owner = stack.owners[ownerIndex] as Stack['owners'][number];
  const uploadOf = (slot: number) => {
    let upload = owner.uploads.get(slot);
    if (!upload) {
      upload = { slot, drive: makeDrive(DRIVE_SLOTS.firstMs + slot * DRIVE_SLOTS.spacingMs, DRIVE_COPIES) };
      owner.uploads.set(slot, upload);
    }
    return upload;
  };
  const nextItem = () => {
    const acked = [...owner.uploads.keys()].filter((slot) => stack.reports.has(reportKey(ownerIndex, slot)));
    if (acked.length > 0 && random() < REUPLOAD_SHARE) {
      return uploadOf(acked[Math.floor(random() * acked.length)] as number);
    }
    return uploadOf(Math.max(-1, ...owner.uploads.keys()) + 1);
  };
  // Drives an attempt of which ended without an acknowledgement: only those may import nothing
  // the first time they are acknowledged (the lost attempt had committed them).
  const cutShort = new Set<number>();
  const send = async (upload: Upload) => {
    const query = new URLSearchParams({ vehicleId: owner.vehicleId, name: `drive-${upload.slot}.csv` });
    const outcome = await owner.client.request(
      `/api/imports?${query}`,
      { method: 'POST', body: upload.drive.csv, headers: { 'content-type': 'text/csv' } },
      HANG_MS,
    );
    if (!acknowledged(outcome)) cutShort.add(upload.slot);
    return outcome;
  };
  const onAck = (upload: Upload, text: string) => {
    const report = JSON.parse(text) as ImportReport;
    const key = reportKey(ownerIndex, upload.slot);
    const first = stack.reports.get(key);
    const where = `${owner.email} drive ${upload.slot}`;
    const { expected } = stack;
    if (report.vehicleId !== owner.vehicleId)
      stack.problems.push(`${where}: imported into ${report.vehicleId}`);
    if (report.rowsRead !== expected.rowsRead || report.rowsRejected !== expected.rowsRejected)
      stack.problems.push(`${where}: read ${report.rowsRead}, rejected ${report.rowsRejected}`);
    if (report.rowsImported + report.rowsDuplicate + report.rowsRejected !== report.rowsRead)
      stack.problems.push(`${where}: rows not counted once: ${JSON.stringify(report)}`);
    if (first) {
      // Already acknowledged: nothing new, the same trips.
      stack.reuploadsAcked++;
      if (report.rowsImported !== 0)
        stack.problems.push(`${where}: re-sent, imported ${report.rowsImported} again`);
      if (JSON.stringify(report.tripIds) !== JSON.stringify(first.tripIds))
        stack.problems.push(`${where}: re-sent, trips ${report.tripIds} instead of ${first.tripIds}`);
      return;
    }
    // First answer: all of it, or nothing when an earlier unanswered attempt had committed.
    const committedBefore = report.rowsImported === 0 && cutShort.has(upload.slot);
    if (report.rowsImported !== expected.samples && !committedBefore)
      stack.problems.push(`${where}: imported ${report.rowsImported} of ${expected.samples}`);
    if (report.tripIds.length !== expected.trips)
      stack.problems.push(`${where}: ${report.tripIds.length} trips, expected ${expected.trips}`);
    stack.reports.set(key, report);
  };
  return new Sender(`uploads of ${owner.email}`, nextItem, send, onAck);
}

function webhookSender(stack: Stack, client: AppClient): Sender<Delivery> {
  const nextItem = (): Delivery => {
    const index = stack.deliveries.length;
    const now = Date.now();
    const tag = `${stack.engine}-${index}`;
    const messages = stack.webhook.vins.map((vin, car) => {
      const trip = tripResource({
        id: `crash-trip-${tag}-${car}`,
        startedAt: now - 20 * 60_000,
        stoppedAt: now - 60_000,
        distanceKm: 12.5,
        done: true,
      });
      return tripMessage({
        callbackId: stack.webhook.callbackId,
        eventId: `crash-${tag}-trip-${car}`,
        vin,
        date: now - 60_000,
        trip,
        kind: 'stop',
      });
    });
    const alert = alertMessage({
      callbackId: stack.webhook.callbackId,
      eventId: `crash-${tag}-alert`,
      vin: stack.webhook.vins[0] as string,
      date: now - 30_000,
      alertId: `crash-alert-${tag}`,
    });
    const delivery: Delivery = {
      index,
      eventIds: [...messages.map((_, car) => `crash-${tag}-trip-${car}`), `crash-${tag}-alert`],
      tripIds: messages.map((_, car) => `crash-trip-${tag}-${car}`),
      alertIds: [`crash-alert-${tag}`],
      body: JSON.stringify([...messages, alert]),
    };
    stack.deliveries.push(delivery);
    return delivery;
  };
  const send = (delivery: Delivery) =>
    client.request(
      '/api/webhooks/psa',
      {
        method: 'POST',
        body: delivery.body,
        headers: { 'content-type': 'application/json', [WEBHOOK_SECRET_HEADER]: stack.webhook.secret },
      },
      HANG_MS,
    );
  const onAck = (delivery: Delivery, text: string) => {
    stack.ackedDeliveries.add(delivery);
    const result = JSON.parse(text) as { accepted: number; duplicates: number; refused: number };
    if (result.accepted + result.duplicates !== delivery.eventIds.length || result.refused !== 0)
      stack.problems.push(`delivery ${delivery.index}: answered ${text}`);
  };
  // PSA batches a subscription's messages (up to 100 a delivery): a delivery every ~0.1 s is plenty.
  return new Sender('webhook deliveries', nextItem, send, onAck, DELIVERY_PAUSE_MS);
}

/** An owner reading their cars and trips: load beside the writes, and a witness of the outage. */
function readerSender(stack: Stack): Sender<string> {
  const owner = stack.owners[0] as Stack['owners'][number];
  let count = 0;
  const nextItem = () =>
    count++ % 2 === 0 ? '/api/vehicles' : `/api/trips?vehicleId=${owner.vehicleId}&limit=5`;
  return new Sender(
    'reads',
    nextItem,
    (path) => owner.client.request(path, {}, HANG_MS),
    () => {},
  );
}

type Senders = {
  uploads: Sender<Upload>[];
  webhooks: Sender<Delivery>;
  reads: Sender<string>;
  all: Sender<unknown>[];
};

function startSenders(stack: Stack, random: () => number): Senders {
  const uploads = stack.owners.map((_, index) =>
    uploadSender(stack, index, seededRandom(Math.floor(random() * 2 ** 31))),
  );
  const webhooks = webhookSender(stack, new AppClient('vehicle cloud', () => stack.origin));
  const reads = readerSender(stack);
  const all = [...uploads, webhooks, reads] as Sender<unknown>[];
  for (const sender of all) sender.start();
  return { uploads, webhooks, reads, all };
}

// ---------------------------------------------------------------------------------------------
// What the database must hold.

/** What an upload not acknowledged (yet) left behind: all of the drive, or none of it. */
type Unacknowledged = Map<Upload, 'whole' | 'absent'>;

/**
 * Integrity, then every upload and delivery sent so far: acknowledged ⇒ stored once; otherwise all
 * or nothing. Answers what each unacknowledged upload left.
 */
async function checkStored(stack: Stack, when: string): Promise<Unacknowledged> {
  const unacknowledged: Unacknowledged = new Map();
  const integrity = await checkIntegrity(stack.db.db, stack.sqliteFile);
  expect(integrity.problems, `integrity ${when}`).toEqual([]);
  expect(stack.problems, `answers ${when}`).toEqual([]);

  for (const [ownerIndex, owner] of stack.owners.entries()) {
    const stored = await readImportedDrives(stack.db.db, owner.vehicleId, DRIVE_SLOTS);
    for (const slot of stored.keys()) {
      expect(
        owner.uploads.has(slot),
        `${owner.email}: records in slot ${slot}, no drive sent there (${when})`,
      ).toBe(true);
    }
    for (const [slot, upload] of owner.uploads) {
      const held = stored.get(slot) ?? { samples: 0, tripIds: [] };
      const report = stack.reports.get(reportKey(ownerIndex, slot));
      const where = `${owner.email} drive ${slot} ${when}`;
      if (report) {
        expect({ samples: held.samples, trips: [...held.tripIds].sort() }, `${where}: acknowledged`).toEqual({
          samples: stack.expected.samples,
          trips: [...report.tripIds].sort(),
        });
        continue;
      }
      const whole = held.samples === stack.expected.samples && held.tripIds.length === stack.expected.trips;
      const none = held.samples === 0 && held.tripIds.length === 0;
      expect(
        whole || none,
        `${where}: unacknowledged, holds ${held.samples} samples and ${held.tripIds.length} trips`,
      ).toBe(true);
      unacknowledged.set(upload, whole ? 'whole' : 'absent');
    }
  }

  const events = await readWebhookEvents(stack.db.db, stack.webhook.callbackId);
  const known = new Set(stack.deliveries.flatMap((delivery) => delivery.eventIds));
  expect(
    [...events.keys()].filter((id) => !known.has(id)),
    `events never sent (${when})`,
  ).toEqual([]);
  for (const delivery of stack.deliveries) {
    const present = delivery.eventIds.filter((id) => events.has(id)).length;
    const where = `delivery ${delivery.index} ${when}`;
    if (stack.ackedDeliveries.has(delivery))
      expect(present, `${where}: acknowledged`).toBe(delivery.eventIds.length);
    else
      expect([0, delivery.eventIds.length], `${where}: unacknowledged, ${present} events stored`).toContain(
        present,
      );
  }
  return unacknowledged;
}

/** Every webhook event applied by the worker, once: each trip and alert it carried stored once. */
async function checkWebhooksApplied(stack: Stack): Promise<void> {
  await waitUntil('the worker to apply every webhook event', async () => {
    const events = await readWebhookEvents(stack.db.db, stack.webhook.callbackId);
    return [...events.values()].every((status) => status === 'done' || status === 'failed');
  });
  const events = await readWebhookEvents(stack.db.db, stack.webhook.callbackId);
  expect([...events.values()].filter((status) => status !== 'done')).toEqual([]);
  const records = await countProviderRecords(stack.db.db, stack.webhook.vehicleIds);
  for (const delivery of stack.deliveries) {
    for (const id of delivery.tripIds) expect(records.trips.get(id), `trip ${id}`).toBe(1);
    for (const id of delivery.alertIds) expect(records.alerts.get(id), `alert ${id}`).toBe(1);
  }
}

// ---------------------------------------------------------------------------------------------
// The stack: database, vehicle cloud, worker, app, owners.

let build: ReturnType<typeof ensureBuild> | undefined;

/** What a describe started, to stop in reverse order (also after a start that failed half-way). */
type Releases = (() => Promise<unknown>)[];

async function releaseAll(releases: Releases): Promise<void> {
  const failures: unknown[] = [];
  for (const release of releases.splice(0).reverse()) await release().catch((error) => failures.push(error));
  if (failures.length > 0) throw new AggregateError(failures, 'stopping the stack failed');
}

async function startStack(engine: TestEngine, releases: Releases): Promise<Stack> {
  build ??= ensureBuild();
  if (build.built) console.log(`[app-crash] built the app first: ${build.seconds.toFixed(0)} s`);
  const cloud = await startFrozenCloud({ ...CLOUD, now: CLOUD_START });
  releases.push(() => cloud.close());
  // PostgreSQL: a cluster of the test's own, since the test restarts it; with PostgreSQL's default
  // synchronous_commit=on, so a commit it acknowledged survives the restart (as in production).
  const pg = engine === 'postgres' ? await startPrivatePostgres({ durableCommits: true }) : undefined;
  if (pg) releases.push(() => pg.stop());
  const db = await openTestDatabase(engine, pg ? { serverUrl: pg.url } : {});
  releases.push(() => db.cleanup());
  const sqliteFile = engine === 'sqlite' ? sqlitePathFor(db.env) : undefined;
  const database = sqliteFile ? { sqliteFile } : { url: db.env.DATABASE_URL as string };
  const dataDir = await mkdtemp(join(tmpdir(), 'kinetic-app-crash-'));
  releases.push(() => rm(dataDir, { recursive: true, force: true }));
  const tokenKey = freshTokenKey();
  const port = await freePort();
  // The app's own temporary folder: uploads are spooled there, and a SIGKILL leaves them behind.
  const spoolDir = join(dataDir, 'tmp');
  await mkdir(spoolDir);
  const app = appEnv({ database, port, dataDir, authSecret: freshAuthSecret(), tokenKey, tmpDir: spoolDir });
  const worker = workerEnv({ database, simPort: cloud.port, peers: CLOUD.peers, tokenKey });
  // The processes running at the end (the last ones started), killed before the database goes.
  const children: { app?: AppChild; worker?: WorkerChild } = {};
  releases.push(async () => {
    for (const child of [children.app, children.worker]) {
      child?.kill('SIGKILL');
      await child?.exited;
    }
  });

  const passwordHash = await hashPassword(PASSWORD);
  const emails = Array.from({ length: UPLOAD_CLIENTS }, (_, index) => `crash-owner-${index}@example.test`);
  for (const email of emails) await createUser(db.db, { email, passwordHash });

  const workerChild = spawnWorker(worker);
  children.worker = workerChild;
  await workerChild.waitFor(/\d+ of \d+ peers linked/, 120_000);
  const appChild = await startApp(app);
  children.app = appChild;
  console.log(`[app-crash] ${engine}: app up in ${Math.round(appChild.startedInMs)} ms`);

  // The vehicle cloud's webhooks for the demo owner's account, which the worker linked.
  const demo = await getUserByEmail(db.db, DEMO_EMAIL);
  const account = await db.db
    .selectFrom('car_accounts')
    .select('id')
    .where('user_id', '=', demo?.id ?? '')
    .where('provider', '=', 'psa-v4')
    .executeTakeFirstOrThrow();
  const cars = await db.db
    .selectFrom('car_account_vehicles')
    .select(['vehicle_id', 'vin'])
    .where('car_account_id', '=', account.id)
    .orderBy('vin')
    .execute();
  const webhook = {
    callbackId: `crash-callback-${randomBytes(4).toString('hex')}`,
    secret: randomBytes(32).toString('base64url'),
    vins: cars.map((car) => car.vin),
    vehicleIds: cars.map((car) => car.vehicle_id),
  };
  await recordWebhookSubscription(db.db, {
    callbackId: webhook.callbackId,
    carAccountId: account.id,
    secret: webhook.secret,
  });

  const stack: Stack = {
    engine,
    db,
    sqliteFile,
    pg,
    cloud,
    appEnv: app,
    spoolDir,
    workerEnv: worker,
    get app() {
      return children.app as AppChild;
    },
    set app(child: AppChild) {
      children.app = child;
    },
    get worker() {
      return children.worker as WorkerChild;
    },
    set worker(child: WorkerChild) {
      children.worker = child;
    },
    origin: appChild.origin,
    owners: [],
    expected: { samples: 0, trips: 0, rowsRead: 0, rowsRejected: 0 },
    reports: new Map(),
    webhook,
    deliveries: [],
    ackedDeliveries: new Set(),
    problems: [],
    reuploadsAcked: 0,
    round: 0,
  };

  // Each owner signs in and uploads a first drive into a new car, without kills: it names the car
  // and gives what every drive imports.
  const firsts = await Promise.all(
    emails.map(async (email) => {
      const client = new AppClient(email, () => stack.origin);
      await client.signIn(email, PASSWORD);
      const upload = { slot: 0, drive: makeDrive(DRIVE_SLOTS.firstMs, DRIVE_COPIES) };
      const query = new URLSearchParams({
        vehicle: 'Leon',
        make: 'Seat',
        model: 'Leon',
        fuel: 'petrol',
        name: 'drive-0.csv',
      });
      const outcome = await client.request(`/api/imports?${query}`, {
        method: 'POST',
        body: upload.drive.csv,
        headers: { 'content-type': 'text/csv' },
      });
      if (!acknowledged(outcome) || outcome.kind !== 'answer')
        throw new Error(
          `the first upload failed: ${JSON.stringify(outcome)}\n${appChild.output().slice(-4000)}`,
        );
      return { email, client, upload, report: JSON.parse(outcome.text) as ImportReport };
    }),
  );
  for (const [index, { email, client, upload, report }] of firsts.entries()) {
    stack.owners.push({ email, client, vehicleId: report.vehicleId, uploads: new Map([[0, upload]]) });
    stack.reports.set(reportKey(index, 0), report);
    stack.expected = {
      samples: report.rowsImported,
      trips: report.tripIds.length,
      rowsRead: report.rowsRead,
      rowsRejected: report.rowsRejected,
    };
  }
  const first = [...stack.reports.values()];
  expect(first.map((report) => report.rowsImported)).toEqual(
    first.map(() => makeDrive(0, DRIVE_COPIES).instants),
  );
  expect(first.map((report) => report.tripIds.length)).toEqual(first.map(() => stack.expected.trips));
  expect(stack.expected.trips).toBeGreaterThan(0);
  return stack;
}

/** Moves the cloud's clock on and makes every car due: the worker has something to ingest. */
async function nextCloudRound(stack: Stack): Promise<void> {
  stack.round++;
  stack.cloud.clock.set({ now: CLOUD_START + stack.round * CLOUD_STEP_MS, frozen: true });
  await stack.db.db.updateTable('sync_state').set({ next_sync_at: 0 }).execute();
}

/**
 * Lets the leases and webhook claims taken before `before` run out, as waiting out a lease (5 min)
 * and a claim (1 min) would: a SIGKILLed worker's cars and events go to the next worker.
 */
async function expireLeasesTakenBefore(stack: Stack, before: number): Promise<void> {
  const now = Date.now();
  await stack.db.db
    .updateTable('sync_state')
    .set({ lease_until: now - 1 })
    .where('lease_owner', 'is not', null)
    .where('lease_until', '<', before + WORKER_DEFAULTS.leaseMs)
    .execute();
  await stack.db.db
    .updateTable('webhook_events')
    .set({ claimed_until: now - 1 })
    .where('status', '=', 'processing')
    .where('claimed_until', '<', before + DEFAULT_CLAIM_MS)
    .execute();
}

async function finishSenders(senders: Senders): Promise<void> {
  await Promise.race([
    Promise.all(senders.all.map((sender) => sender.finish())),
    sleep(SETTLE_TIMEOUT_MS).then(() => {
      throw new Error('the clients did not get every item acknowledged in time');
    }),
  ]);
}

type Numbers = {
  appKills: number;
  workerKills: number;
  killsWithUploadsInFlight: number;
  appStartMs: number[];
  /** Upload requests the app held when it died, by what they left: all of the drive, none, or a re-send of one already stored. */
  unanswered: { whole: number; absent: number; resent: number };
  unansweredDeliveries: number;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function summarize(stack: Stack, senders: Senders, numbers: Numbers): string {
  const attempts = senders.uploads.flatMap((sender) => sender.attempts);
  const acked = attempts.filter((attempt) => acknowledged(attempt.outcome));
  const { whole, absent, resent } = numbers.unanswered;
  return (
    `[app-crash] ${stack.engine}: ${numbers.appKills} app kills (${numbers.killsWithUploadsInFlight} with uploads in flight), ` +
    `${numbers.workerKills} worker kills; uploads: ${attempts.length} requests, ${acked.length} acknowledged ` +
    `(${senders.uploads.reduce((n, sender) => n + sender.acked.size, 0)} drives, ${stack.reuploadsAcked} re-sends of acknowledged drives; ` +
    `median ${Math.round(median(acked.map((attempt) => attempt.outcome.ms)))} ms), ` +
    `${whole + absent + resent} unanswered (${whole} had committed whole, ${absent} left nothing, ${resent} re-sends of stored drives; all sent again and stored once); ` +
    `webhooks: ${senders.webhooks.acked.size} deliveries acknowledged, ${numbers.unansweredDeliveries} unanswered; ` +
    `app start median ${Math.round(median(numbers.appStartMs))} ms, max ${Math.round(Math.max(...numbers.appStartMs))} ms`
  );
}

/** The kill loop: APP_KILLS kills of the app, the worker with it now and then, checks after each. */
async function crashLoop(stack: Stack, random: () => number): Promise<void> {
  const started = performance.now();
  const senders = startSenders(stack, random);
  const numbers: Numbers = {
    appKills: 0,
    workerKills: 0,
    killsWithUploadsInFlight: 0,
    appStartMs: [],
    unanswered: { whole: 0, absent: 0, resent: 0 },
    unansweredDeliveries: 0,
  };
  const acksOf = (list: Sender<unknown>[]) =>
    list.reduce(
      (n, sender) => n + sender.attempts.filter((attempt) => acknowledged(attempt.outcome)).length,
      0,
    );
  const anyAcks = () => acksOf(senders.all);
  const uploadAcks = () => acksOf(senders.uploads as Sender<unknown>[]);
  for (let kill = 1; kill <= APP_KILLS; kill++) {
    await nextCloudRound(stack);
    const killWorker =
      random() < WORKER_KILL_SHARE || MIN_WORKER_KILLS - numbers.workerKills >= APP_KILLS - kill + 1;
    // The app makes progress between kills (every other round an upload acknowledged since it
    // started, else any request), then dies at a random moment after, with an upload on its way.
    const acks = kill % 2 === 0 ? uploadAcks() : anyAcks();
    await waitUntil('a request acknowledged since the restart', () =>
      kill % 2 === 0 ? uploadAcks() > acks : anyAcks() > acks,
    );
    await sleep(KILL_DELAY_MS.min + random() * (KILL_DELAY_MS.max - KILL_DELAY_MS.min));
    await waitUntil('an upload in flight', () => senders.uploads.some((sender) => sender.inFlight), 10_000);
    const inFlight = senders.uploads.filter((sender) => sender.inFlight).length;
    const killedAt = Date.now();
    stack.app.kill('SIGKILL');
    if (killWorker) stack.worker.kill('SIGKILL');
    const exit = await stack.app.exited;
    expect(exit.signal, stack.app.output().slice(-2000)).toBe('SIGKILL');
    if (killWorker) expect((await stack.worker.exited).signal).toBe('SIGKILL');
    numbers.appKills++;
    if (killWorker) numbers.workerKills++;
    if (inFlight > 0) numbers.killsWithUploadsInFlight++;

    // Every request the dead app held has ended by now (reset or cut), so the clients' record of
    // what was acknowledged is final for this kill.
    await Promise.all(senders.all.map((sender) => sender.settled()));
    const unacknowledged = await checkStored(stack, `after kill ${kill}`);
    const cut = (attempt: Attempt<unknown>) =>
      attempt.outcome.kind === 'no-answer' && attempt.endedAt >= killedAt;
    const unanswered = { whole: 0, absent: 0, resent: 0 };
    for (const attempt of senders.uploads.flatMap((sender) => sender.attempts).filter(cut)) {
      const left = unacknowledged.get(attempt.item);
      if (left === undefined) unanswered.resent++;
      else unanswered[left]++;
    }
    const unansweredDeliveries = senders.webhooks.attempts.filter(cut).length;
    numbers.unanswered.whole += unanswered.whole;
    numbers.unanswered.absent += unanswered.absent;
    numbers.unanswered.resent += unanswered.resent;
    numbers.unansweredDeliveries += unansweredDeliveries;
    console.log(
      `[app-crash] ${stack.engine}: kill ${kill}${killWorker ? ' (and the worker)' : ''} at ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
        `${inFlight} uploads in flight, unanswered: ${JSON.stringify(unanswered)}, ${unansweredDeliveries} deliveries`,
    );

    if (killWorker) {
      await expireLeasesTakenBefore(stack, Date.now());
      stack.worker = spawnWorker(stack.workerEnv);
    }
    stack.app = await startApp(stack.appEnv);
    numbers.appStartMs.push(stack.app.startedInMs);
  }

  // The clients send what they still hold until it is acknowledged; then it must all be there once.
  await finishSenders(senders);
  expect([...(await checkStored(stack, 'at the end')).keys()], 'drives never acknowledged').toEqual([]);
  for (const sender of senders.all) expect(sender.sent.size, sender.name).toBe(sender.acked.size);
  await checkWebhooksApplied(stack);
  // Answers other than acknowledgements: none expected (a dead app gives no answer at all).
  const refusals = senders.all
    .flatMap((sender) => sender.attempts)
    .filter((attempt) => attempt.outcome.kind === 'answer' && !acknowledged(attempt.outcome));
  expect(
    refusals.map((attempt) => attempt.outcome),
    'answers that were not 2xx',
  ).toEqual([]);
  // Not a database matter, but what a crash leaves on disk: the spooled uploads of requests it cut.
  const leftovers = (await readdir(stack.spoolDir)).filter((name) =>
    name.startsWith('kinetic-upload-'),
  ).length;
  console.log(
    `${summarize(stack, senders, numbers)}; ${leftovers} spooled uploads left in TMPDIR; ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s (seed ${seed})`,
  );
  expect(numbers.appKills).toBe(APP_KILLS);
  expect(numbers.workerKills).toBeGreaterThanOrEqual(MIN_WORKER_KILLS);
  expect(numbers.killsWithUploadsInFlight).toBe(APP_KILLS);
}

describe('the app and the worker killed with SIGKILL during ingestion, on sqlite', () => {
  let stack: Stack | undefined;
  const releases: Releases = [];
  beforeAll(async () => {
    stack = await startStack('sqlite', releases);
  }, 15 * 60_000);
  afterAll(() => releaseAll(releases));

  it('keeps every acknowledged upload and delivery once, and no unanswered one in part', async () => {
    await crashLoop(stack as Stack, seededRandom(seed));
  });
});

describe('the app and the worker killed with SIGKILL during ingestion, then PostgreSQL restarted, on postgres', () => {
  let stack: Stack | undefined;
  const releases: Releases = [];
  beforeAll(async () => {
    stack = await startStack('postgres', releases);
  }, 15 * 60_000);
  afterAll(() => releaseAll(releases));

  it('keeps every acknowledged upload and delivery once, and no unanswered one in part', async () => {
    await crashLoop(stack as Stack, seededRandom(seed + 1));
  });

  it('answers 503 while PostgreSQL restarts under load, and the app and the worker carry on by themselves', async () => {
    const current = stack as Stack;
    const pg = current.pg as PrivatePostgres;
    const random = seededRandom(seed + 2);
    const app = current.app;
    const worker = current.worker;
    await nextCloudRound(current);
    const senders = startSenders(current, random);
    // Load first: every client acknowledged at least once.
    await waitUntil('every client to be answered', () =>
      senders.all.every((sender) => sender.acked.size > 0),
    );
    await sleep(500 + random() * 1_000);

    const stopping = Date.now();
    let stopped = stopping;
    try {
      await pg.stopServer('fast');
      stopped = Date.now();
      // Down until every client has met the outage (been answered while the server was stopped).
      await sleep(OUTAGE_MIN_MS);
      await waitUntil('every client to be answered during the outage', () =>
        senders.all.every((sender) =>
          sender.attempts.some(
            (attempt) => attempt.startedAt >= stopped && attempt.outcome.kind === 'answer',
          ),
        ),
      );
    } finally {
      await pg.startServer();
    }
    const restarted = Date.now();
    const outageMs = restarted - stopping;

    // The app recovers by itself: every client acknowledged again after the restart.
    await waitUntil('every client to be acknowledged after the restart', () =>
      senders.all.every((sender) =>
        sender.attempts.some((attempt) => attempt.startedAt >= restarted && acknowledged(attempt.outcome)),
      ),
    );
    const recoveredMs = Date.now() - restarted;
    await finishSenders(senders);

    // The same processes throughout: nothing restarted them.
    expect(current.app).toBe(app);
    expect(current.worker).toBe(worker);
    for (const child of [app, worker]) {
      expect(child.child.exitCode, child.output().slice(-3000)).toBeNull();
      expect(child.child.signalCode).toBeNull();
    }

    // During the outage: answers only, each a 503 with the documented error body, nothing else.
    const attempts = senders.all.flatMap((sender) => sender.attempts);
    const failed = attempts.filter((attempt) => !acknowledged(attempt.outcome));
    expect(
      failed.filter((attempt) => attempt.outcome.kind !== 'answer').map((attempt) => attempt.outcome),
      'hangs or dropped connections',
    ).toEqual([]);
    const codes = new Map<string, number>();
    for (const attempt of failed) {
      if (attempt.outcome.kind !== 'answer') continue;
      const { status, text } = attempt.outcome;
      expect(attempt.endedAt, 'an error outside the outage').toBeGreaterThanOrEqual(stopping);
      expect(text).not.toMatch(/\bat \S+ \(|\.(ts|js):\d+|node_modules|ECONN|57P0/);
      const body = JSON.parse(text) as { error: { code: string; message: string } };
      expect({ status, body }).toEqual({
        status: 503,
        body: {
          error: { code: 'unavailable', message: 'The database is not answering. Try again in a moment.' },
        },
      });
      const key = `${status} ${body.error.code}`;
      codes.set(key, (codes.get(key) ?? 0) + 1);
    }
    expect(failed.length, 'requests during the outage').toBeGreaterThan(0);

    // The worker carries on: it syncs every car again and applies every delivery, without a restart.
    // (Leases and claims it took before the restart and could not record run out first, as time would.)
    await expireLeasesTakenBefore(current, restarted);
    await nextCloudRound(current);
    await waitUntil('every car to sync after the restart', async () => {
      const rows = await current.db.db
        .selectFrom('sync_state')
        .select(['last_synced_at', 'failures'])
        .execute();
      return rows.every((row) => (row.last_synced_at ?? 0) >= restarted && row.failures === 0);
    });
    await checkWebhooksApplied(current);
    const unacknowledged = await checkStored(current, 'after the restart');
    expect([...unacknowledged.keys()], 'drives never acknowledged').toEqual([]);
    for (const sender of senders.all) expect(sender.sent.size, sender.name).toBe(sender.acked.size);

    const lines = (text: string, marker: string) =>
      text.split('\n').filter((line) => line.includes(marker)).length;
    const lost = (text: string) => lines(text, 'a PostgreSQL connection was lost');
    console.log(
      `[app-crash] postgres restart: outage ${outageMs} ms (stop ${stopped - stopping} ms), recovered ${recoveredMs} ms after the start; ` +
        `${attempts.length} requests, ${failed.length} refused: ${JSON.stringify(Object.fromEntries(codes))}; ` +
        `${senders.uploads.reduce((n, s) => n + s.acked.size, 0)} drives and ${senders.webhooks.acked.size} deliveries acknowledged; ` +
        `logged: app ${lost(app.output())} connections lost and ${lines(app.output(), '[api] database unavailable')} requests refused, ` +
        `worker ${lost(worker.output())} connections lost and ${lines(worker.output(), '[worker] pass failed')} passes failed`,
    );
  });
});
