import 'server-only';

/**
 * The stop switch of a worker loop: `sleep` waits between passes and returns at once when `stop`
 * is called (or was called before), so stopping never waits out an idle interval.
 */
export type StopSignal = {
  readonly stopped: boolean;
  sleep(ms: number): Promise<void>;
  stop(): void;
};

export function createStopSignal(): StopSignal {
  let stopped = false;
  // Every pending sleep: several loops may share one signal (run-worker.ts: the demo watch, the
  // peers' link retries, retention), and stop() must wake them all, not only the latest.
  const wakers = new Set<() => void>();
  return {
    get stopped() {
      return stopped;
    },
    sleep(ms) {
      if (stopped) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        }
        wakers.add(done);
      });
    },
    stop() {
      stopped = true;
      for (const wake of [...wakers]) wake();
    },
  };
}
