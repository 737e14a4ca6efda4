import path from 'node:path';
import { chromium } from '@playwright/test';
import SQLite from 'better-sqlite3';
import { DEMO_EMAIL } from '../../lib/demo/demo-owner';
import { CHROMIUM_ARGS } from '../support/chromium-flags';
import { cookieHeader, signInToDemo } from './demo-session';
import type { BenchContext, Benchmark, BenchRow } from './types';
import { formatInteger, median, p95 } from './types';

// Issue 7's "a leaderboard page of a 10,000-member group served in ≤ 100 ms", end to end over HTTP
// from the running app: a private group of the demo owner's car and 9,999 other cars is written
// into the app's SQLite file (each membership with the bin and score copy the page reads), then the
// demo session asks for pages of it spread over the whole group — the JSON route and the
// server-rendered Leaderboard page, 100 requests each, one at a time.

const MEMBERS = 10_000;
// 100 pages: the p95 is then the 5th slowest, not the 2nd (40 pages), a steadier estimate on a
// machine where the demo's 100 peers keep driving and syncing meanwhile.
const REQUESTS = 100;
const TARGET_MS = 100;
const GROUP_ID = '00000000-0000-4000-8000-0000000b0a7d';

/** The group, its 9,999 other cars (of one extra owner) and the demo car, straight into the file. */
function seedGroup(dataDir: string): string {
  const database = new SQLite(path.join(dataDir, 'kinetic.db'));
  database.pragma('busy_timeout = 10000');
  try {
    const demoCar = database
      .prepare(
        `select v.id from vehicles v join users u on u.id = v.user_id
         where u.email = ? order by v.created_at, v.id limit 1`,
      )
      .get(DEMO_EMAIL) as { id: string } | undefined;
    if (!demoCar) throw new Error('the demo owner has no car');
    const now = Date.now();
    database.transaction(() => {
      database
        .prepare(
          `insert into users (id, email, name, password_hash, created_at, updated_at)
           values ('bench-board-owner', 'bench-board@example.invalid', 'Bench', null, ?, ?)`,
        )
        .run(now, now);
      const car = database.prepare(
        `insert into vehicles (id, user_id, label, brand, model, powertrain, vin, created_at)
         values (?, 'bench-board-owner', ?, 'peugeot', '208', 'petrol', ?, ?)`,
      );
      const member = database.prepare(
        `insert into driver_group_members (group_id, vehicle_id, owner_id, pseudonym, joined_at, bin, score)
         values (?, ?, ?, ?, ?, ?, ?)`,
      );
      database
        .prepare(
          `insert into driver_groups (id, name, owner_id, invite_token_hash, created_at)
           values (?, 'Bench group', 'bench-board-owner', 'bench-board', ?)`,
        )
        .run(GROUP_ID, now);
      const owner = database.prepare('select user_id from vehicles where id = ?').get(demoCar.id) as {
        user_id: string;
      };
      member.run(GROUP_ID, demoCar.id, owner.user_id, 'Bench Demo 10', now, 650, 65);
      for (let i = 1; i < MEMBERS; i++) {
        const score = 35 + ((i * 7919) % 600) / 10;
        car.run(`bench-board-${i}`, `Car ${i}`, `VF3BOARD${i}`, now);
        member.run(
          GROUP_ID,
          `bench-board-${i}`,
          'bench-board-owner',
          `Driver ${i}`,
          now,
          Math.round(score * 10),
          score,
        );
      }
    })();
    return demoCar.id;
  } finally {
    database.close();
  }
}

async function timed(url: string, cookie: string, check: (response: Response) => Promise<void>) {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie } });
  await check(response);
  return performance.now() - started;
}

/** Run alone (`--only`), the demo may still be linking its owner's cars. */
async function demoReady(baseUrl: string): Promise<void> {
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    const health = (await fetch(`${baseUrl}/api/health`)
      .then((response) => response.json())
      .catch(() => null)) as { demo?: { ready?: boolean } } | null;
    if (health?.demo?.ready) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the demo was not ready within 2 minutes');
}

async function run(context: BenchContext): Promise<BenchRow[]> {
  await demoReady(context.baseUrl);
  const demoCar = seedGroup(context.dataDir);
  const browser = await chromium.launch({ executablePath: context.chromiumPath, args: [...CHROMIUM_ARGS] });
  let cookie: string;
  try {
    cookie = cookieHeader((await signInToDemo(browser, context.baseUrl)).storageState);
  } finally {
    await browser.close();
  }
  const query = (i: number) => `board=group:${GROUP_ID}&offset=${(i * 2_459) % (MEMBERS - 50)}`;
  const api: number[] = [];
  const page: number[] = [];
  for (let i = 0; i < REQUESTS + 3; i++) {
    const apiMs = await timed(
      `${context.baseUrl}/api/vehicles/${demoCar}/leaderboard?${query(i)}`,
      cookie,
      async (response) => {
        const body = (await response.json()) as { entries?: unknown[]; participants?: number };
        if (response.status !== 200 || body.entries?.length !== 50 || body.participants !== MEMBERS)
          throw new Error(`the route answered ${response.status} with ${body.entries?.length} entries`);
      },
    );
    const pageMs = await timed(
      `${context.baseUrl}/vehicles/${demoCar}/leaderboard?${query(i)}`,
      cookie,
      async (response) => {
        const html = await response.text();
        if (response.status !== 200 || !html.includes('Bench group'))
          throw new Error(`the page answered ${response.status}`);
      },
    );
    if (i >= 3) {
      api.push(apiMs);
      page.push(pageMs);
    }
  }
  const row = (what: string, times: number[]): BenchRow => ({
    benchmark: `Leaderboard of a ${formatInteger(MEMBERS)}-member private group over HTTP, ${what} (50 entries, the reader's place; SQLite)`,
    figure: `p95 ${p95(times).toFixed(1)} ms, median ${median(times).toFixed(1)} ms over ${REQUESTS} pages`,
    target: `≤ ${TARGET_MS} ms`,
    status: p95(times) <= TARGET_MS ? 'meets' : 'misses',
  });
  return [row('JSON route', api), row('whole server-rendered page', page)];
}

export const leaderboardHttp: Benchmark = { name: 'leaderboard over HTTP', run };
