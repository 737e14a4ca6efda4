// TEST SUPPORT ONLY: the per-call time bound of docs/security-tests.md IN-01 ("each call < 1 s"), a
// guard against inputs that make a parser or handler loop or backtrack for long (catastrophic
// regular expressions), not a speed goal. On this shared 2-core machine a call can also stall for
// reasons that are not its input (another process, a GC pause): a call over the bound is timed
// twice more with the same input, and its fastest time counts. An input that is slow by itself is
// slow every time.

export const PER_CALL_BOUND_MS = 1_000;
const RETRIES = 2;

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function once(call: () => unknown): Promise<{ ms: number; outcome: Outcome }> {
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = { ok: true, value: await call() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  return { ms: performance.now() - started, outcome };
}

/** How the first call ended, and its time (the fastest of up to three when it was over the bound). */
export async function timeOf(call: () => unknown): Promise<{ ms: number; outcome: Outcome }> {
  const first = await once(call);
  let ms = first.ms;
  for (let retry = 0; retry < RETRIES && ms >= PER_CALL_BOUND_MS; retry++)
    ms = Math.min(ms, (await once(call)).ms);
  return { ms, outcome: first.outcome };
}
