import os from 'node:os';
import type { BenchRow } from './types';

// BENCHMARKS.md: the one table docs/interfaces.md promises, columns in this exact order.

export const COLUMNS = ['benchmark', 'figure', 'target', 'status', 'date', 'machine'] as const;

export function describeMachine(): string {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  const memory = Math.round(os.totalmem() / 2 ** 30);
  return `${cpus.length} × ${model}, ${memory} GiB, Node ${process.version}`;
}

// Pipes would end a cell early; newlines would end the row.
const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function renderTable(rows: readonly BenchRow[], date: string, machine: string): string {
  const lines = [`| ${COLUMNS.join(' | ')} |`, `| ${COLUMNS.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    const cells = [row.benchmark, row.figure, row.target, row.status, date, machine];
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * The document with `rows` merged into its table: a row of the same benchmark is replaced, a new
 * one is added at the end, the others keep their figures and their own date (`--only … --merge`).
 */
export function mergeIntoDocument(
  document: string,
  rows: readonly BenchRow[],
  date: string,
  machine: string,
): string {
  const lines = document.split('\n');
  const header = lines.findIndex((line) => line.startsWith(`| ${COLUMNS[0]} |`));
  if (header < 0) throw new Error('BENCHMARKS.md has no table to merge into; run the whole bench first');
  let end = header + 2;
  while (end < lines.length && lines[end]?.startsWith('| ')) end++;
  const nameOf = (line: string) => line.slice(2).split(' | ')[0];
  const fresh = renderTable(rows, date, machine).split('\n').slice(2);
  const byName = new Map(fresh.map((line) => [nameOf(line), line]));
  const kept = lines.slice(header + 2, end);
  const merged = kept.map((line) => byName.get(nameOf(line)) ?? line);
  const keptNames = new Set(kept.map(nameOf));
  for (const line of fresh) if (!keptNames.has(nameOf(line))) merged.push(line);
  return [...lines.slice(0, header + 2), ...merged, ...lines.slice(end)].join('\n');
}

// Wrapped here rather than in the template, because the machine name and load average vary in length.
function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].join('\n');
}

export function renderDocument(table: string, machine: string, loadAverage: string): string {
  const note = [
    'Written by `npm run bench`; rerun it rather than editing this file.',
    'Each run checks that the production build is current (building it if not), starts Kinetic with',
    '`scripts/start.ts` on a spare port with a throwaway SQLite data folder and the demo on, and measures it',
    `on ${machine} (load average ${loadAverage} when the run started).`,
    'Lighthouse 12.2.3 audits the demo owner’s vehicle overview (signed in, the session sent as a Cookie',
    "header) and `/login` with its mobile defaults (simulated slow 4G, ×4 CPU) three times each in Debian's",
    'Chromium; its rows are medians, `benchmarkIndex` is its own CPU score (lower means a busier machine), and',
    'the metric targets are T1 of `docs/performance.md` (each metric at a score of 1.00) and issue 6’s.',
    'The same audit of a bare Next.js page (a heading and a paragraph, built with the same `next`, served',
    'while Kinetic runs beside it) gives the machine’s ceiling: no page of a Next.js app scores above it here.',
    '"JS before interaction" is every script a fresh Chromium profile downloads for the route until `load` and',
    'network idle, re-gzipped with node:zlib at the default level 6, in kB of 1,000 bytes, against T3; the',
    'signed-in routes use a session from the "Try the demo" button, and the charts page counts its chart code',
    '(recharts, about 120 kB, loaded lazily after the page is interactive) since it arrives before network idle.',
    '`/api/health` throughput comes from autocannon on loopback (2 s warm-up, then 10 s) with the server and',
    'load generator sharing the same cores, so it is reported against T12, not gated.',
    'The vehicle cloud rows time the simulator alone: generating every trip of a year at 1 Hz for each',
    'demo car (after an untimed warm-up), and its v4 API in its own process with a 100,000-owner world,',
    'driven by autocannon at a fixed 200 requests/s in a sync worker’s polling mix over 200 cars spread',
    'across the world and the four brands’ client quotas (docs/simulator.md).',
    'The load rows start Kinetic twice more on their own, on SQLite and on a throwaway PostgreSQL (fsync',
    'off), each with 50 signed-in owners whose simulated cars the worker syncs; 100 autocannon connections,',
    'two per owner, draw every request from the dashboard’s reads for 60 s while the simulator’s clock runs',
    '60× through a weekday morning commute, so the worker ingests meanwhile (scripts/bench/load.ts).',
    'Timings on shared machines vary by ±30%; byte counts are exact.',
  ].join(' ');
  return `# Benchmarks\n\n${wrap(note)}\n\n${table}\n`;
}
