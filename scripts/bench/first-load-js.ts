import { gzipSync } from 'node:zlib';
import { type Browser, chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../support/chromium-flags';
import { type StorageState, signInToDemo } from './demo-session';
import type { BenchContext, Benchmark, BenchRow } from './types';

// JavaScript a route ships before the user can interact (T3 / B1 in docs/performance.md): every
// script response a fresh browser loads until `load` plus network idle. Next 16 no longer prints
// "First Load JS", and counting what the browser actually fetched also skips `noModule` polyfills
// the way a modern phone does. Sizes are re-gzipped here (node:zlib default level 6) so the figure
// does not depend on how the server happens to compress.

const BUDGET_BYTES = 180_000; // T3: ≤ 180 kB gzip for the route.
const KB = 1000;

const launchArgs = ['--headless', ...CHROMIUM_ARGS];

type Script = { url: string; raw: number; gzip: number };

type RouteMeasure = { route: string; landedOn: string; scripts: Script[] };

type RouteSpec = { route: string; label: string; signedIn: boolean };

const ROUTES: readonly RouteSpec[] = [
  { route: '/login', label: '/login', signedIn: false },
  { route: '/signup', label: '/signup', signedIn: false },
  { route: '/', label: '/ (signed in)', signedIn: true },
  // `{vehicle}` is the demo's first vehicle page, where the demo sign-in lands.
  { route: '{vehicle}/telemetry', label: 'vehicle charts (signed in)', signedIn: true },
  { route: '/trips', label: '/trips (signed in)', signedIn: true },
  { route: '/alerts', label: '/alerts (signed in)', signedIn: true },
  { route: '/settings', label: '/settings (signed in)', signedIn: true },
];

async function measureRoute(
  browser: Browser,
  baseUrl: string,
  route: string,
  storageState: StorageState | undefined,
): Promise<RouteMeasure> {
  // A fresh context per route: its own empty cache, so shared chunks count on every route.
  const context = await browser.newContext(storageState ? { storageState } : {});
  try {
    const page = await context.newPage();
    const pending: Promise<Script | Error>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      const url = response.url();
      // A missing chunk or an unreadable body must fail the row, not shrink the figure.
      pending.push(
        response.ok()
          ? response.body().then(
              (body) => ({ url, raw: body.length, gzip: gzipSync(body).length }),
              (error: unknown) => new Error(`could not read ${url}: ${String(error)}`),
            )
          : Promise.resolve(new Error(`${url} answered ${response.status()}`)),
      );
    });
    await page.goto(`${baseUrl}${route}`, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    const seen = new Map<string, Script>();
    for (const script of await Promise.all(pending)) {
      if (script instanceof Error) throw script;
      seen.set(script.url, script);
    }
    return { route, landedOn: new URL(page.url()).pathname, scripts: [...seen.values()] };
  } finally {
    await context.close();
  }
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} kB`;

function toRow(spec: RouteSpec, measure: RouteMeasure): BenchRow {
  const gzip = measure.scripts.reduce((sum, script) => sum + script.gzip, 0);
  const raw = measure.scripts.reduce((sum, script) => sum + script.raw, 0);
  // The overview redirects to the first car once the demo owner has cars; say where it ended up.
  const landed =
    measure.landedOn === measure.route ? '' : `, landed on ${measure.landedOn.replace(/[^/]{16,}/g, ':id')}`;
  return {
    benchmark: `JS before interaction, gzip: ${spec.label}`,
    figure: `${kb(gzip)} (${measure.scripts.length} scripts, ${kb(raw)} raw${landed})`,
    target: `≤ ${kb(BUDGET_BYTES)}`,
    status: gzip <= BUDGET_BYTES ? 'meets' : 'misses',
  };
}

function logLargest(measure: RouteMeasure): void {
  const largest = [...measure.scripts].sort((a, b) => b.gzip - a.gzip).slice(0, 5);
  console.log(`[bench] largest scripts on ${measure.route} (gzip):`);
  for (const script of largest)
    console.log(`[bench]   ${kb(script.gzip).padStart(9)}  ${new URL(script.url).pathname}`);
}

async function run(context: BenchContext): Promise<BenchRow[]> {
  const browser = await chromium.launch({ executablePath: context.chromiumPath, args: launchArgs });
  try {
    const demo = await signInToDemo(browser, context.baseUrl);
    const session = demo.storageState;
    const rows: BenchRow[] = [];
    for (const spec of ROUTES) {
      const route = spec.route.replace('{vehicle}', demo.landedOn);
      const measure = await measureRoute(
        browser,
        context.baseUrl,
        route,
        spec.signedIn ? session : undefined,
      );
      if (spec.signedIn && measure.landedOn.startsWith('/login')) {
        throw new Error(`${spec.route} sent the demo session back to /login`);
      }
      logLargest(measure);
      rows.push(toRow(spec, measure));
    }
    return rows;
  } finally {
    await browser.close();
  }
}

export const firstLoadJs: Benchmark = { name: 'JS before interaction, gzip', run };
