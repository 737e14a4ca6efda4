import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { productionEnv } from './worker-harness';

// docs/security-tests.md AC-01 (a): a 'use client' module that imports the data layer (or auth,
// the configuration or the secrets) must make `next build` fail, not ship them to the browser.
// test/boundaries.test.ts checks statically that every such module starts with
// `import 'server-only'`; this proves what that line does in a real build. A tiny Next app (a
// layout, a page, and one client component importing the real lib/db, lib/auth, lib/env and
// lib/secrets of this repository) is built with the repository's own Next (Turbopack, its
// root set to the repository), and the build must fail with Next's server-only error on each of those modules, traced
// back to the client component. The fixture lives under .reports/ (ignored by git) so that it
// resolves the repository's node_modules, and is removed afterwards.

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = join(root, '.reports', `ac01-client-probe-${randomBytes(4).toString('hex')}`);
const FORBIDDEN = ['lib/db/index.ts', 'lib/auth/index.ts', 'lib/env.ts', 'lib/secrets.ts'];

afterAll(() => {
  rmSync(fixture, { recursive: true, force: true });
});

/** The probe as written by mistake: a client component reaching for server modules. */
const BAD_PROBE = [
  "'use client';",
  "import { getDb } from '../../../lib/db';",
  "import { requireUser } from '../../../lib/auth';",
  "import { env } from '../../../lib/env';",
  "import { getAuthSecret } from '../../../lib/secrets';",
  '',
  'export function Probe() {',
  '  return <p>{[typeof getDb, typeof requireUser, typeof env, typeof getAuthSecret].join()}</p>;',
  '}',
  '',
].join('\n');
function build(probe: string) {
  writeFixture(probe);
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build', fixture],
    {
      cwd: root,
      env: { ...productionEnv(), NEXT_TELEMETRY_DISABLED: '1' },
      encoding: 'utf8',
      timeout: 240_000,
    },
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the terminal's colour codes.
  const output = `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  return { status: result.status, signal: result.signal, output };
}

function writeFixture(probe: string) {
  mkdirSync(join(fixture, 'app'), { recursive: true });
  const files: Record<string, string> = {
    'app/layout.tsx':
      'export default function Layout({ children }: { children: React.ReactNode }) {\n  return <html lang="en"><body>{children}</body></html>;\n}\n',
    'app/page.tsx':
      "import { Probe } from './probe';\n\nexport default function Page() {\n  return <Probe />;\n}\n",
    'app/probe.tsx': probe,
    // Turbopack may read files outside the fixture only under its root: the repository.
    'next.config.mjs': `export default { turbopack: { root: ${JSON.stringify(root)} } };\n`,
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['dom', 'esnext'],
        jsx: 'preserve',
        module: 'esnext',
        moduleResolution: 'bundler',
        skipLibCheck: true,
        noEmit: true,
        isolatedModules: true,
        esModuleInterop: true,
        resolveJsonModule: true,
        baseUrl: '.',
        paths: { '@/*': ['../../*'] },
      },
      include: ['app/**/*'],
    }),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(fixture, name), text);
}

describe('next build with a client component importing the data layer', () => {
  it('fails, naming server-only on lib/db, lib/auth, lib/env and lib/secrets', () => {
    const { status, signal, output } = build(BAD_PROBE);
    expect(signal, 'the build was stopped by the time limit').toBeNull();
    expect(status, output.slice(-3000)).not.toBe(0);
    for (const file of FORBIDDEN) {
      expect(output, file).toContain(
        `./${file}:1:1\nError: 'server-only' cannot be imported from a Client Component module`,
      );
    }
    // Each traced back to the probe, the one client component.
    expect(output).toMatch(
      /Import traces?:\s+Client Component Browser:[\s\S]*app\/probe\.tsx \[Client Component Browser\]/,
    );
  });
});
