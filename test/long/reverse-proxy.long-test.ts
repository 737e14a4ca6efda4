import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/password';
import { sqlitePathFor } from '@/lib/db/client';
import { createUser } from '@/lib/db/queries/users';
import { signIn } from '@/scripts/bench/auth-session';
import { KINETIC_NGINX_CONF, type Nginx, startNginx } from '@/scripts/support/nginx';
import { freePort } from '@/scripts/support/test-postgres';
import { openTestDatabase, type TestDatabase } from '@/test/db-harness';
import { type AppChild, appEnv, ensureBuild, freshAuthSecret, startApp } from './app-harness';
import { freshTokenKey } from './worker-harness';

// docs/security-tests.md LD-03, the part only a proxy can hold: floods stop before Node.js. The
// production build (`next start`) runs behind nginx configured with the project's own
// deploy/nginx/kinetic.conf (scripts/support/nginx.ts changes only its upstream and listening
// address), as docs/deploy.md lays it out:
//   - an owner flooding the API meets nginx's 429 — the app's error shape, Retry-After, no-store —
//     and the app sees no more of the flood than the proxy's burst and rate let through, while
//     another owner reading meanwhile is never refused (one bucket per session, not per address:
//     both owners come from the same address here);
//   - clients without a session are limited per address;
//   - the maker's webhooks are not limited by the proxy (bursts from few addresses; the app
//     authenticates them).
// The bench `noisy-neighbour` measures what this buys the other owners' latency (BENCHMARKS.md).

const PASSWORD = 'a long and uncommon passphrase';
/** deploy/nginx/kinetic.conf: `rate=20r/s`, `burst=100`. */
const RATE_PER_S = 20;
const BURST = 100;
const FLOOD = 400;
const FLOOD_LANES = 20;

let build: ReturnType<typeof ensureBuild> | undefined;
let db: TestDatabase;
let dataDir: string;
let app: AppChild;
let nginx: Nginx;

beforeAll(async () => {
  build ??= ensureBuild();
  if (build.built) console.log(`[reverse-proxy] built the app first: ${build.seconds.toFixed(0)} s`);
  db = await openTestDatabase('sqlite');
  const passwordHash = await hashPassword(PASSWORD);
  for (const email of ['flooder@example.test', 'reader@example.test'])
    await createUser(db.db, { email, passwordHash });
  dataDir = await mkdtemp(join(tmpdir(), 'kinetic-reverse-proxy-'));
  const appPort = await freePort();
  app = await startApp(
    appEnv({
      database: { sqliteFile: sqlitePathFor(db.env) as string },
      port: appPort,
      dataDir,
      authSecret: freshAuthSecret(),
      tokenKey: freshTokenKey(),
    }),
  );
  nginx = await startNginx({ upstreams: [`127.0.0.1:${appPort}`], port: await freePort() });
}, 180_000);

afterAll(async () => {
  await nginx?.stop();
  app?.kill('SIGKILL');
  await app?.exited;
  await db?.cleanup();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Answer = {
  status: number;
  retryAfter: string | null;
  cacheControl: string | null;
  body: string;
};

async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    cacheControl: response.headers.get('cache-control'),
    body: await response.text(),
  };
}

/** `count` requests, `lanes` at a time; with how long the whole took. */
async function flood(count: number, lanes: number, request: () => Promise<Answer>) {
  const answers: Answer[] = [];
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (sent < count) {
        sent++;
        answers.push(await request());
      }
    }),
  );
  return { answers, seconds: (performance.now() - started) / 1000 };
}

function statuses(answers: Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** What the proxy let through in `seconds`: the burst at once, then the rate (one extra for rounding). */
const admitted = (seconds: number) => BURST + Math.ceil(RATE_PER_S * seconds) + 1;

/** The body kinetic.conf answers a refused request with (its `return 429 '…'`). */
const PROXY_REFUSAL = (() => {
  const body = /return 429 '([^']+)'/.exec(readFileSync(KINETIC_NGINX_CONF, 'utf8'))?.[1];
  if (!body) throw new Error(`no return 429 body in ${KINETIC_NGINX_CONF}`);
  return body.replace(/\\n$/, '\n');
})();

function expectProxyRefusal(answer: Answer) {
  expect(answer.status).toBe(429);
  // nginx's own answer (the app's 429 says something else), in the app's error shape.
  expect(answer.body).toBe(PROXY_REFUSAL);
  expect(JSON.parse(answer.body)).toEqual({
    error: { code: 'rate_limited', message: expect.stringMatching(/\S/) },
  });
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(answer.cacheControl).toBe('private, no-store');
}

describe('behind nginx with deploy/nginx/kinetic.conf', () => {
  it('holds a flooding owner back at the proxy, while another owner from the same address is never refused', async () => {
    const address = '198.51.100.7';
    const flooder = await signIn(nginx.origin, 'flooder@example.test', address, PASSWORD);
    const reader = await signIn(nginx.origin, 'reader@example.test', address, PASSWORD);
    const readerAnswers: Answer[] = [];
    let flooding = true;
    const reading = (async () => {
      while (flooding)
        readerAnswers.push(await send(`${nginx.origin}/api/vehicles`, { headers: { cookie: reader } }));
    })();
    const { answers, seconds } = await flood(FLOOD, FLOOD_LANES, () =>
      send(`${nginx.origin}/api/vehicles`, { headers: { cookie: flooder } }),
    );
    flooding = false;
    await reading;

    const passed = answers.filter((answer) => answer.status === 200).length;
    const refused = answers.filter((answer) => answer.status === 429);
    expect(passed + refused.length, JSON.stringify(statuses(answers))).toBe(FLOOD);
    // The burst is honoured (a page's requests at once are never refused), and no more than the
    // burst and the rate reach the app.
    expect(passed).toBeGreaterThanOrEqual(BURST);
    expect(passed).toBeLessThanOrEqual(admitted(seconds));
    for (const answer of refused) expectProxyRefusal(answer);

    expect(readerAnswers.length).toBeGreaterThan(0);
    expect(statuses(readerAnswers)).toEqual({ 200: readerAnswers.length });
  });

  it('limits clients without a session by their address', async () => {
    const { answers, seconds } = await flood(FLOOD, FLOOD_LANES, () => send(`${nginx.origin}/api/vehicles`));
    const reachedApp = answers.filter((answer) => answer.status === 401).length;
    const refused = answers.filter((answer) => answer.status === 429);
    expect(reachedApp + refused.length, JSON.stringify(statuses(answers))).toBe(FLOOD);
    expect(reachedApp).toBeGreaterThanOrEqual(BURST);
    expect(reachedApp).toBeLessThanOrEqual(admitted(seconds));
    for (const answer of refused) expectProxyRefusal(answer);
  });

  it('lets every webhook delivery through to the app, which judges it', async () => {
    const { answers } = await flood(FLOOD, FLOOD_LANES, () =>
      send(`${nginx.origin}/api/webhooks/psa`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kinetic-secret': 'not the secret' },
        body: '{}',
      }),
    );
    expect(answers.filter((answer) => answer.status === 429)).toEqual([]);
    // Every one answered by the app, in its error shape.
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: expect.any(String) } });
    }
  });
});
