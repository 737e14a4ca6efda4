// The simulator's clock: real time by default; tests freeze it or run it faster. The time is
// anchored so that changing the rate never makes it jump, and it never runs backwards unless a
// test sets it back on purpose.

export type ClockState = { now: string; rate: number; frozen: boolean };

export class SimClock {
  #anchorSimMs: number;
  #anchorRealMs: number;
  #rate: number;
  #frozen: boolean;
  readonly #realNow: () => number;

  constructor(
    options: { now?: number; rate?: number; frozen?: boolean } = {},
    realNow: () => number = Date.now,
  ) {
    this.#realNow = realNow;
    this.#anchorRealMs = realNow();
    this.#anchorSimMs = options.now ?? this.#anchorRealMs;
    this.#rate = options.rate ?? 1;
    this.#frozen = options.frozen ?? false;
  }

  /** Simulated time in epoch milliseconds. */
  now(): number {
    if (this.#frozen) return this.#anchorSimMs;
    return this.#anchorSimMs + (this.#realNow() - this.#anchorRealMs) * this.#rate;
  }

  set(change: { now?: number; rate?: number; frozen?: boolean }): void {
    const current = this.now();
    this.#anchorRealMs = this.#realNow();
    this.#anchorSimMs = change.now ?? current;
    if (change.rate !== undefined) this.#rate = change.rate;
    if (change.frozen !== undefined) this.#frozen = change.frozen;
  }

  state(): ClockState {
    return { now: new Date(this.now()).toISOString(), rate: this.#rate, frozen: this.#frozen };
  }
}
