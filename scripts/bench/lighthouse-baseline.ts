import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './app-server';
import { lighthouseLabel, measure } from './lighthouse';
import { type BenchContext, type Benchmark, type BenchRow, formatInteger } from './types';

// The machine's ceiling for the Lighthouse rows: the same audit on a bare Next.js page (one
// heading and a paragraph, no CSS, no client component), built with this checkout's `next` and
// served by `next start` while Kinetic runs beside it, as during the other audits. Whatever this
// page scores is the most any page of a Next.js app can score on this machine; the gap between it
// and Kinetic's pages is ours. Reported, not a target.

// Inside the checkout, so the page resolves `next` and `react` from its node_modules (Turbopack
// compiles nothing outside its workspace root); .reports/ is git-ignored.
const APP_DIR = path.join('.reports', 'bench', 'bare-next');
const READY_TIMEOUT_MS = 60_000;

// Plain JavaScript: no tsconfig for Next to write or type-check in the folder.
const FILES: Record<string, string> = {
  'package.json': '{ "private": true }\n',
  'next.config.mjs': 'export default {};\n',
  'app/layout.jsx': `export const metadata = { title: 'Bare page' };
export default function RootLayout({ children }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  'app/page.jsx': `export default function Page() {
  return (
    <main>
      <h1>Bare Next.js page</h1>
      <p>One heading and a paragraph: what the framework alone costs a phone.</p>
    </main>
  );
}
`,
};

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

async function waitUntilServed(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the bare page did not answer ${url} in time`);
}

async function audit(context: BenchContext): Promise<BenchRow[]> {
  const root = process.cwd();
  const appDir = path.join(root, APP_DIR);
  const next = path.join(root, 'node_modules', '.bin', 'next');
  rmSync(appDir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(appDir, file)), { recursive: true });
    writeFileSync(path.join(appDir, file), text);
  }
  let server: ChildProcess | undefined;
  try {
    await run(next, ['build'], appDir);
    const port = await freePort();
    server = spawn(next, ['start', '-p', String(port)], {
      cwd: appDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: 'ignore',
    });
    const url = `http://localhost:${port}/`;
    await waitUntilServed(url, server);
    const { score, lcp, tbt, runs } = await measure({ label: 'bare page', url, tbtTarget: 0 }, context);
    const label = lighthouseLabel('a bare Next.js page (this machine’s ceiling)');
    return [
      {
        benchmark: `${label}: performance score`,
        figure: `${score} (${runs}); LCP ${formatInteger(lcp)} ms, TBT ${formatInteger(tbt)} ms`,
        target: 'reported: the most a Next.js page scores here',
        status: 'report',
      },
    ];
  } finally {
    server?.kill('SIGTERM');
    rmSync(appDir, { recursive: true, force: true });
  }
}

export const lighthouseBaseline: Benchmark = { name: 'Lighthouse 12 mobile baseline', run: audit };
