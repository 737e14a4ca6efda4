import { type AppChild, startApp } from './app-harness';

// TEST SUPPORT ONLY (long tests): one app instance of the production build, started the way
// docs/deploy.md starts each one — `next start --port $PORT --keepAliveTimeout 65000`, configured
// by its environment alone — and ready once its readiness check (/api/health) answers 200
// (app-harness.ts startApp), with a name for the scale-out test's messages.

export type AppInstance = {
  name: string;
  url: string;
  process: AppChild;
  stop(): Promise<void>;
};

const READY_TIMEOUT_MS = 90_000;

export async function startAppInstance(
  name: string,
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<AppInstance> {
  const child = await startApp({ ...env, PORT: String(port) }, READY_TIMEOUT_MS).catch((error: unknown) => {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const stop = async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await child.exited;
    clearTimeout(timer);
  };
  return { name, url: `http://localhost:${port}`, process: child, stop };
}
