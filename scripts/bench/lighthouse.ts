import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../support/chromium-flags';
import { cookieHeader, signInToDemo } from './demo-session';
import { type BenchContext, type Benchmark, type BenchRow, formatInteger, median } from './types';

// Lighthouse 12.2.3 with mobile defaults (simulated slow 4G, ×4 CPU), median of 3 runs: B2 and T1
// in docs/performance.md. The flags are the ones docs/toolchain.md found to work as root here.
// Two pages: the demo owner's signed-in vehicle overview (the page a phone opens; issue 6's targets,
// the session travels as a Cookie header) and /login (what a visitor sees first).

const RUNS = 3;
// A run can die of a transient Chrome error on a loaded machine; a couple of spares keep the median.
const MAX_ATTEMPTS = RUNS + 2;

const chromeFlags = ['--headless=new', ...CHROMIUM_ARGS].join(' ');

type Sample = { score: number; lcp: number; tbt: number; cls: number; benchmarkIndex: number | undefined };

type LighthouseReport = {
  categories?: { performance?: { score?: number | null } };
  audits?: Record<string, { numericValue?: number } | undefined>;
  runtimeError?: { code?: string; message?: string };
  environment?: { benchmarkIndex?: number };
};

export type Target = { label: string; url: string; headersFile?: string; tbtTarget: number };

function runLighthouse(target: Target, outputPath: string, chromiumPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'node_modules/.bin/lighthouse',
      [
        target.url,
        ...(target.headersFile ? [`--extra-headers=${target.headersFile}`] : []),
        '--only-categories=performance',
        '--form-factor=mobile',
        `--chrome-flags=${chromeFlags}`,
        '--output=json',
        `--output-path=${outputPath}`,
        '--quiet',
      ],
      // Own group so an interrupted run can take its Chromium down with it.
      {
        env: { ...process.env, CHROME_PATH: chromiumPath },
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {}
    };
    process.once('exit', killGroup);
    child.once('error', (error) => {
      process.off('exit', killGroup);
      reject(error);
    });
    child.once('close', (code) => {
      process.off('exit', killGroup);
      if (code === 0) resolve();
      else reject(new Error(`lighthouse exited with ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
  });
}

function readSample(file: string): Sample {
  const report = JSON.parse(readFileSync(file, 'utf8')) as LighthouseReport;
  if (report.runtimeError?.code) throw new Error(`lighthouse: ${report.runtimeError.code}`);
  const score = report.categories?.performance?.score;
  const metric = (id: string): number => {
    const value = report.audits?.[id]?.numericValue;
    if (typeof value !== 'number') throw new Error(`lighthouse report has no ${id}`);
    return value;
  };
  if (typeof score !== 'number') throw new Error('lighthouse report has no performance score');
  return {
    score: Math.round(score * 100),
    lcp: metric('largest-contentful-paint'),
    tbt: metric('total-blocking-time'),
    cls: metric('cumulative-layout-shift'),
    benchmarkIndex: report.environment?.benchmarkIndex,
  };
}

export type LighthouseSummary = {
  score: number;
  lcp: number;
  tbt: number;
  cls: number;
  /** The scores of every run, in order, and the median benchmarkIndex when Lighthouse reported it. */
  runs: string;
};

/** Median of RUNS Lighthouse runs on one page (the first request made beforehand, unaudited). */
export async function measure(target: Target, context: BenchContext): Promise<LighthouseSummary> {
  const headers = target.headersFile
    ? (JSON.parse(readFileSync(target.headersFile, 'utf8')) as Record<string, string>)
    : {};
  // One plain request first, so the first audited run does not pay for Next's cold route.
  const warm = await fetch(target.url, { headers, redirect: 'manual' });
  await warm.text();
  if (warm.status !== 200) throw new Error(`${target.label} answered ${warm.status}`);

  const samples: Sample[] = [];
  for (let attempt = 1; samples.length < RUNS; attempt++) {
    const file = path.join(context.tmpDir, `lighthouse-${attempt}.json`);
    let sample: Sample;
    try {
      await runLighthouse(target, file, context.chromiumPath);
      sample = readSample(file);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw error;
      console.warn(`[bench] lighthouse attempt ${attempt} failed, trying again: ${String(error)}`);
      continue;
    }
    samples.push(sample);
    console.log(
      `[bench] lighthouse ${target.label} run ${samples.length}/${RUNS}: ${sample.score}, LCP ${formatInteger(sample.lcp)} ms, ` +
        `TBT ${formatInteger(sample.tbt)} ms, CLS ${sample.cls.toFixed(3)}, benchmarkIndex ${sample.benchmarkIndex ?? '?'}`,
    );
  }

  // Lighthouse's own CPU benchmark says how loaded the machine was (docs/performance.md §1.2: 1500–2000
  // is what its ×4 slowdown is calibrated for).
  const indexes = samples.flatMap((sample) =>
    sample.benchmarkIndex === undefined ? [] : [sample.benchmarkIndex],
  );
  const benchmarkIndex = indexes.length > 0 ? `; benchmarkIndex ${formatInteger(median(indexes))}` : '';
  return {
    score: median(samples.map((sample) => sample.score)),
    lcp: median(samples.map((sample) => sample.lcp)),
    tbt: median(samples.map((sample) => sample.tbt)),
    cls: median(samples.map((sample) => sample.cls)),
    runs: `runs: ${samples.map((sample) => sample.score).join(', ')}${benchmarkIndex}`,
  };
}

export const lighthouseLabel = (page: string) => `Lighthouse 12 mobile, ${page}, median of ${RUNS}`;

async function audit(target: Target, context: BenchContext): Promise<BenchRow[]> {
  const { score, lcp, tbt, cls, runs } = await measure(target, context);
  const label = lighthouseLabel(target.label);
  // Metric targets are T1 (the values that keep each metric's score at 1.00).
  return [
    {
      benchmark: `${label}: performance score`,
      figure: `${score} (${runs})`,
      target: '100 (≥ 95)',
      status: score >= 95 ? 'meets' : 'misses',
    },
    {
      benchmark: `${label}: LCP`,
      figure: `${formatInteger(lcp)} ms`,
      target: '≤ 1,500 ms',
      status: lcp <= 1500 ? 'meets' : 'misses',
    },
    {
      benchmark: `${label}: TBT`,
      figure: `${formatInteger(tbt)} ms`,
      target: `≤ ${formatInteger(target.tbtTarget)} ms`,
      status: tbt <= target.tbtTarget ? 'meets' : 'misses',
    },
    {
      benchmark: `${label}: CLS`,
      figure: cls.toFixed(3),
      target: '≤ 0.02',
      status: cls <= 0.02 ? 'meets' : 'misses',
    },
  ];
}

async function demoOverview(context: BenchContext): Promise<Target> {
  const browser = await chromium.launch({
    executablePath: context.chromiumPath,
    args: ['--headless', ...CHROMIUM_ARGS],
  });
  try {
    const session = await signInToDemo(browser, context.baseUrl);
    if (!session.landedOn.startsWith('/vehicles/'))
      throw new Error(`the demo landed on ${session.landedOn}, not a vehicle`);
    const headersFile = path.join(context.tmpDir, 'lighthouse-headers.json');
    writeFileSync(headersFile, JSON.stringify({ Cookie: cookieHeader(session.storageState) }));
    // Issue 6: TBT ≤ 100 ms on the overview; /login keeps T1's 60 ms.
    return {
      label: 'demo vehicle overview (signed in)',
      url: `${context.baseUrl}${session.landedOn}`,
      headersFile,
      tbtTarget: 100,
    };
  } finally {
    await browser.close();
  }
}

async function run(context: BenchContext): Promise<BenchRow[]> {
  const overview = await demoOverview(context);
  const login: Target = { label: '/login', url: `${context.baseUrl}/login`, tbtTarget: 60 };
  return [...(await audit(overview, context)), ...(await audit(login, context))];
}

export const lighthousePages: Benchmark = { name: 'Lighthouse 12 mobile', run };
