import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isBuildCurrent } from '../support/build-hash';

// Benchmarks measure the production build of the current sources, never a stale one.

export const ATTEMPTS = 4;
// Another `next build` in the same checkout (a teammate, `npm test`) holds .next/lock or removes
// files under our feet; both clear up once it finishes, so those failures are worth a retry.
export const CONCURRENT_BUILD = /already running|ENOENT|ENOTEMPTY/;
export const RETRY_DELAY_MS = 30_000;

function runBuild(): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'build'], {
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const tee = (out: NodeJS.WritableStream) => (chunk: Buffer) => {
      out.write(chunk);
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', tee(process.stdout));
    child.stderr?.on('data', tee(process.stderr));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const isCurrent = (root: string) => existsSync(path.join(root, '.next', 'BUILD_ID')) && isBuildCurrent(root);

export async function ensureBuild(root: string): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (isCurrent(root)) {
      if (attempt === 1) console.log('[bench] the production build is current');
      return;
    }
    console.log('[bench] building (no build, or the sources changed)…');
    const { code, output } = await runBuild();
    if (code === 0) return;
    if (attempt === ATTEMPTS || !CONCURRENT_BUILD.test(output)) {
      throw new Error(`npm run build failed (exit ${code})`);
    }
    console.log(`[bench] the build collided with another one; retrying in ${RETRY_DELAY_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
  }
}
