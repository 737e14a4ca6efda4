import { type ChildProcess, spawn } from 'node:child_process';

// Runs several long-lived processes as one: output prefixed by name, all stopped together on
// Ctrl-C or when any one exits. Children stay in the supervisor's process group, so whoever kills
// that group (a terminal, a test runner, CI) takes them down too and none is left holding a port.

export type ProcessSpec = { name: string; command: string; args: string[]; env: NodeJS.ProcessEnv };

export type Supervisor = { stop: (code?: number) => Promise<never> };

/** The simulated vehicle cloud as a supervised process (the embedded default runs it beside the app). */
export function simulatorProcess(env: NodeJS.ProcessEnv): ProcessSpec {
  return {
    name: 'simulator',
    command: 'node_modules/.bin/tsx',
    args: ['--conditions=react-server', 'scripts/simulator.ts'],
    env,
  };
}

/** The sync worker as a supervised process (lib/worker; `npm run worker`). */
export function workerProcess(env: NodeJS.ProcessEnv): ProcessSpec {
  return {
    name: 'worker',
    command: 'node_modules/.bin/tsx',
    args: ['--conditions=react-server', 'scripts/worker.ts'],
    env,
  };
}

function prefixLines(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WritableStream): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
  stream.on('end', () => {
    if (buffered) out.write(`[${name}] ${buffered}\n`);
  });
}

export function supervise(specs: ProcessSpec[]): Supervisor {
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const stop = async (code = 0): Promise<never> => {
    if (!stopping) {
      stopping = true;
      const exits = [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            try {
              child.kill('SIGTERM');
            } catch {
              resolve();
            }
            setTimeout(() => {
              try {
                child.kill('SIGKILL');
              } catch {}
              resolve();
            }, 8000).unref();
          }),
      );
      await Promise.all(exits);
    }
    process.exit(code);
  };

  for (const spec of specs) {
    const child = spawn(spec.command, spec.args, {
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.set(spec.name, child);
    if (child.stdout) prefixLines(spec.name, child.stdout, process.stdout);
    if (child.stderr) prefixLines(spec.name, child.stderr, process.stderr);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`[start] ${spec.name} stopped (${signal ?? `exit ${code}`}); stopping everything.`);
      void stop(code || 1);
    });
  }

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      console.log(`\n[start] ${signal}: stopping…`);
      void stop(0);
    });
  }
  return { stop };
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return true;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
