import { waitForHttp } from '@/scripts/support/supervisor';
import { spawnNode, type WorkerChild } from './worker-harness';

// TEST SUPPORT ONLY (long tests): one app instance of the production build, started the way
// docs/deploy.md starts each one — `next start --port $PORT --keepAliveTimeout 65000`, configured
// by its environment alone — and ready once its readiness check (/api/health) answers 200.

export type AppInstance = {
  name: string;
  url: string;
  process: WorkerChild;
  stop(): Promise<void>;
};

const READY_TIMEOUT_MS = 90_000;

export async function startAppInstance(
  name: string,
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<AppInstance> {
  const child = spawnNode(
    ['node_modules/next/dist/bin/next', 'start', '--port', String(port), '--keepAliveTimeout', '65000'],
    { ...env, PORT: String(port) },
    name,
  );
  const url = `http://localhost:${port}`;
  const stop = async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await child.exited;
    clearTimeout(timer);
  };
  const ready = await Promise.race([
    waitForHttp(`${url}/api/health`, READY_TIMEOUT_MS),
    child.exited.then(() => false),
  ]);
  if (!ready) {
    await stop();
    throw new Error(`${name} did not become ready on ${url}:\n${child.output().slice(-3000)}`);
  }
  return { name, url, process: child, stop };
}
