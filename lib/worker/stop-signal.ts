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
  let wake: (() => void) | null = null;
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
          wake = null;
          resolve();
        }
        wake = done;
      });
    },
    stop() {
      stopped = true;
      wake?.();
    },
  };
}
