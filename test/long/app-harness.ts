import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBuildCurrent } from '@/scripts/support/build-hash';
import { type ChildUnderTest, productionEnv, spawnChild } from './worker-harness';

// TEST SUPPORT ONLY (long tests): the real built app (`next start`, as docs/deploy.md runs each
// instance) as a child process the test can SIGKILL and start again, and signed-in owners that
// talk to it over HTTP with their session cookie.

const root = fileURLToPath(new URL('../../', import.meta.url));
const NEXT_BIN = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

/**
 * Builds the app when there is no build or the sources changed since it (as `npm start` decides:
 * scripts/support/build-hash.ts). `npm test` builds before `npm run test:long` runs, so in CI this
 * finds the build current and returns at once.
 */
export function ensureBuild(): { built: boolean; seconds: number } {
  if (isBuildCurrent(root)) return { built: false, seconds: 0 };
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', 'scripts/build.ts'],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) {
    throw new Error(
      `the build failed (${result.status}):\n${`${result.stdout}\n${result.stderr}`.slice(-4000)}`,
    );
  }
  return { built: true, seconds: (performance.now() - started) / 1000 };
}

/** A fresh AUTH_SECRET: every start of the app must use the same one, or sessions end. */
export const freshAuthSecret = () => randomBytes(32).toString('base64');

/** One app instance's configuration, the environment alone (docs/deploy.md › Configuration). */
export function appEnv(input: {
  database: { url: string } | { sqliteFile: string };
  port: number;
  dataDir: string;
  authSecret: string;
  tokenKey: string;
  /** Where uploads are spooled (lib/import/upload-spool.ts); the machine's by default. */
  tmpDir?: string;
}): NodeJS.ProcessEnv {
  const base = productionEnv();
  return {
    ...base,
    TMPDIR: input.tmpDir ?? base.TMPDIR,
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(input.port),
    KINETIC_DATA_DIR: input.dataDir,
    DATABASE_URL: 'url' in input.database ? input.database.url : `file:${input.database.sqliteFile}`,
    AUTH_SECRET: input.authSecret,
    TOKEN_ENCRYPTION_KEY: input.tokenKey,
  };
}

export type AppChild = ChildUnderTest & { origin: string; startedInMs: number };

/** `next start` on `port`; resolves once /api/health answers 200 (the database reached, schema current). */
export async function startApp(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<AppChild> {
  const started = performance.now();
  const port = env.PORT as string;
  const child = spawnChild('app', [NEXT_BIN, 'start', '--port', port, '--keepAliveTimeout', '65000'], env);
  const origin = `http://127.0.0.1:${port}`;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`the app exited while starting:\n${child.output().slice(-3000)}`);
    try {
      const response = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `the app did not answer /api/health within ${timeoutMs} ms:\n${child.output().slice(-3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Object.assign(child, { origin, startedInMs: performance.now() - started });
}

/** How a request ended: an answer (any status), or none (the connection refused, reset or cut). */
export type HttpOutcome =
  | { kind: 'answer'; status: number; text: string; ms: number }
  | { kind: 'refused'; ms: number }
  | { kind: 'no-answer'; error: string; ms: number };

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A client of the app: a cookie jar holding next-auth's cookies once signed in (the session is a
 * database row named by the cookie, so it outlives the app's restarts), and requests that report
 * how they ended rather than throw. `origin` is asked on every request.
 */
export class AppClient {
  readonly #cookies = new Map<string, string>();

  constructor(
    readonly label: string,
    readonly origin: () => string,
  ) {}

  #remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  #cookieHeader(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  hasSession(): boolean {
    return [...this.#cookies.keys()].some((name) => name.endsWith('authjs.session-token'));
  }

  /** Signs in through next-auth's own endpoints (e2e/support/accounts.ts apiSignIn, over fetch). */
  async signIn(email: string, password: string): Promise<void> {
    const csrf = await fetch(`${this.origin()}/api/auth/csrf`, { headers: { cookie: this.#cookieHeader() } });
    this.#remember(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const response = await fetch(`${this.origin()}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.#cookieHeader() },
      body: new URLSearchParams({ csrfToken, email, password, callbackUrl: '/' }),
    });
    this.#remember(response);
    await response.arrayBuffer();
    const location = response.headers.get('location') ?? '';
    if (response.status !== 302 || location.includes('error=') || !this.hasSession()) {
      throw new Error(`sign-in of ${email} answered ${response.status} ${location}`);
    }
  }

  /** A request with the session; `timeoutMs` bounds a hang (an answer that never comes is a failure). */
  async request(
    path: string,
    init: { method?: string; body?: Uint8Array<ArrayBuffer> | string; headers?: Record<string, string> } = {},
    timeoutMs = 60_000,
  ): Promise<HttpOutcome> {
    const started = performance.now();
    try {
      const response = await fetch(`${this.origin()}${path}`, {
        method: init.method ?? 'GET',
        headers: { ...init.headers, cookie: this.#cookieHeader() },
        ...(init.body !== undefined ? { body: init.body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      this.#remember(response);
      return { kind: 'answer', status: response.status, text, ms: performance.now() - started };
    } catch (error) {
      const ms = performance.now() - started;
      const code = causeCode(error);
      if (code === 'ECONNREFUSED') return { kind: 'refused', ms };
      const name = (error as Error)?.name;
      if (name === 'TimeoutError')
        return { kind: 'no-answer', error: `no answer within ${timeoutMs} ms`, ms };
      return { kind: 'no-answer', error: code ?? String((error as Error)?.message ?? error), ms };
    }
  }
}

/** A 2xx answer: what a client counts as acknowledged. */
export const acknowledged = (outcome: HttpOutcome) =>
  outcome.kind === 'answer' && outcome.status >= 200 && outcome.status < 300;

export type Attempt<I> = { item: I; outcome: HttpOutcome; startedAt: number; endedAt: number };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client that sends one item at a time and sends it again until the app acknowledges it (as a
 * phone retrying an upload, or PSA redelivering a webhook), keeping every attempt and its outcome.
 */
export class Sender<I> {
  readonly attempts: Attempt<I>[] = [];
  readonly acked = new Set<I>();
  readonly sent = new Set<I>();
  #inFlight: Promise<HttpOutcome> | null = null;
  #pending: I | null = null;
  #stopNew = false;
  #loop: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly nextItem: () => I,
    private readonly send: (item: I) => Promise<HttpOutcome>,
    /** Called with each acknowledged item and the answer's body. */
    private readonly onAck: (item: I, text: string) => void,
    /** Pause after an acknowledged item before the next one. */
    private readonly pauseMs = 0,
  ) {}

  start(): void {
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    for (;;) {
      if (this.#pending === null && this.#stopNew) return;
      const item = this.#pending ?? this.nextItem();
      this.#pending = item;
      this.sent.add(item);
      const startedAt = Date.now();
      this.#inFlight = this.send(item);
      const outcome = await this.#inFlight;
      this.#inFlight = null;
      this.attempts.push({ item, outcome, startedAt, endedAt: Date.now() });
      if (outcome.kind === 'answer' && acknowledged(outcome)) {
        this.#pending = null;
        this.acked.add(item);
        this.onAck(item, outcome.text);
        if (this.pauseMs > 0) await pause(this.pauseMs);
      } else {
        // The app is down (refused), died mid-request (no answer) or refused for now (503): again soon.
        await pause(outcome.kind === 'refused' ? 50 : 200);
      }
    }
  }

  get inFlight(): boolean {
    return this.#inFlight !== null;
  }

  /** Resolves once the request in flight, if any, has ended. */
  async settled(): Promise<void> {
    await this.#inFlight;
  }

  /** Starts nothing new; resolves once the item in hand is acknowledged. */
  async finish(): Promise<void> {
    this.#stopNew = true;
    await this.#loop;
  }
}
