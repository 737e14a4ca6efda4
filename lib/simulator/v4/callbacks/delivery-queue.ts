import type { WebhookFaultKind } from '../../faults/rules';
import type { DeliveryFaultDecision } from '../../faults/switchboard';
import type { WebhookMessage } from './messages';

// The messages waiting for each callback, in order, with the PSA delivery policy (spec Webhook:
// "retried until it succeeds or retention time is exceeded", "Retry delay … 10 seconds", "data is
// deleted within 72 hours if not sent", batches of up to 100 "applied in the case of messages
// lag") and the webhook faults of /sim/faults:
// - webhook_duplicate: a copy of the message (same id) is delivered after the original;
// - webhook_reorder: the message is held back until the next message of its callback is queued,
//   which goes first; a message with no follower is let go after `delayS` (60 s by default);
// - webhook_delay: the message is not sent before `delayS` (60 s by default) after it was raised.
// All times are simulated. One delivery at a time per callback keeps the order; a failed delivery
// blocks its callback until the retry instant, and everything due then goes out together.

export const DEFAULT_FAULT_DELAY_S = 60;
/** Messages kept per callback, and in all [infer: bounds memory]; the oldest are dropped first. */
export const MAX_QUEUED_PER_CALLBACK = 1000;
export const MAX_QUEUED = 20_000;

export type QueuedMessage = {
  /** Queue order (unique). */
  seq: number;
  eventId: string;
  callbackId: string;
  monitorId: string;
  vehicleId: string;
  vin: string;
  message: WebhookMessage;
  raisedAtMs: number;
  /** Not sent before this instant (webhook_delay). */
  notBeforeMs: number;
  /** Held back until a later message goes first, or until `notBeforeMs` (webhook_reorder). */
  held: boolean;
  /** A duplicate copy waits for this original to be delivered. */
  afterSeq: number | null;
  /** The fault that shaped this entry, for the `x-sim-fault` header. */
  fault: WebhookFaultKind | null;
};

type CallbackQueue = { entries: QueuedMessage[]; retryAtMs: number; inFlight: boolean };

export type NewMessage = Omit<QueuedMessage, 'seq' | 'notBeforeMs' | 'held' | 'afterSeq' | 'fault'>;

export class DeliveryQueue {
  readonly #queues = new Map<string, CallbackQueue>();
  #seq = 0;
  #size = 0;
  #warned = false;

  get size(): number {
    return this.#size;
  }

  #queueOf(callbackId: string): CallbackQueue {
    let queue = this.#queues.get(callbackId);
    if (!queue) {
      queue = { entries: [], retryAtMs: Number.NEGATIVE_INFINITY, inFlight: false };
      this.#queues.set(callbackId, queue);
    }
    return queue;
  }

  /** Queues a message under the fault (if any) drawn for it. */
  enqueue(input: NewMessage, decision: DeliveryFaultDecision | null): void {
    const queue = this.#queueOf(input.callbackId);
    const delayMs = (decision?.params.delayS ?? DEFAULT_FAULT_DELAY_S) * 1000;
    const entry: QueuedMessage = {
      ...input,
      seq: ++this.#seq,
      notBeforeMs: input.raisedAtMs,
      held: false,
      afterSeq: null,
      fault: null,
    };
    // A message held back by webhook_reorder lets this one go first.
    const heldIndex = queue.entries.findIndex((candidate) => candidate.held);
    const held = queue.entries[heldIndex];
    if (held) {
      held.held = false;
      held.notBeforeMs = held.raisedAtMs;
      queue.entries.splice(heldIndex, 0, entry);
    } else {
      queue.entries.push(entry);
    }
    if (decision?.kind === 'webhook_delay') {
      entry.notBeforeMs = input.raisedAtMs + delayMs;
      entry.fault = 'webhook_delay';
    } else if (decision?.kind === 'webhook_reorder' && !held) {
      // (A message that just overtook a held one is not held in turn: each fault swaps one pair.)
      entry.held = true;
      entry.notBeforeMs = input.raisedAtMs + delayMs;
      entry.fault = 'webhook_reorder';
    } else if (decision?.kind === 'webhook_duplicate') {
      const copy: QueuedMessage = {
        ...entry,
        seq: ++this.#seq,
        afterSeq: entry.seq,
        fault: 'webhook_duplicate',
      };
      queue.entries.splice(queue.entries.indexOf(entry) + 1, 0, copy);
      this.#size += 1;
    }
    this.#size += 1;
    this.#bound(queue);
  }

  #bound(queue: CallbackQueue): void {
    while (queue.entries.length > MAX_QUEUED_PER_CALLBACK || this.#size > MAX_QUEUED) {
      const victim = queue.entries.length > MAX_QUEUED_PER_CALLBACK ? queue : this.#largest();
      if (!victim || victim.entries.length === 0) return;
      victim.entries.shift();
      this.#size -= 1;
      if (!this.#warned) {
        this.#warned = true;
        console.warn('[simulator] webhook queue full: dropping the oldest messages');
      }
    }
  }

  #largest(): CallbackQueue | undefined {
    let largest: CallbackQueue | undefined;
    for (const queue of this.#queues.values()) {
      if (!largest || queue.entries.length > largest.entries.length) largest = queue;
    }
    return largest;
  }

  /** Drops messages raised `maxAgeMs` or more ago, and those `keep` refuses (deleted callbacks…). */
  prune(nowMs: number, maxAgeMs: number, keep: (entry: QueuedMessage) => boolean): void {
    for (const [callbackId, queue] of this.#queues) {
      const before = queue.entries.length;
      queue.entries = queue.entries.filter((entry) => entry.raisedAtMs + maxAgeMs > nowMs && keep(entry));
      this.#size -= before - queue.entries.length;
      if (queue.entries.length === 0 && !queue.inFlight) this.#queues.delete(callbackId);
    }
  }

  /**
   * The next delivery of each callback that can send now: the first eligible message and the
   * eligible ones after it that share its transport (`keyOf`: target and headers), up to
   * `batchSize`. `ready(callbackId)` says whether the callback may send at all (Running).
   */
  takeDue(
    nowMs: number,
    batchSize: number,
    ready: (callbackId: string) => boolean,
    keyOf: (entry: QueuedMessage) => string | null,
  ): QueuedMessage[][] {
    const batches: QueuedMessage[][] = [];
    for (const [callbackId, queue] of this.#queues) {
      if (queue.inFlight || nowMs < queue.retryAtMs || !ready(callbackId)) continue;
      const pending = new Set(queue.entries.map((entry) => entry.seq));
      const batch: QueuedMessage[] = [];
      let key: string | null = null;
      for (const entry of queue.entries) {
        if (batch.length >= batchSize) break;
        // A held message no follower came for is let go at its deadline.
        if (entry.held && nowMs >= entry.notBeforeMs) entry.held = false;
        if (entry.held || nowMs < entry.notBeforeMs) continue;
        if (entry.afterSeq !== null && pending.has(entry.afterSeq)) continue;
        const entryKey = keyOf(entry);
        if (entryKey === null) continue;
        if (key === null) key = entryKey;
        if (entryKey !== key) continue;
        batch.push(entry);
      }
      if (batch.length === 0) continue;
      queue.inFlight = true;
      batches.push(batch);
    }
    return batches;
  }

  /** The receiver took the batch (2xx). */
  delivered(batch: readonly QueuedMessage[]): void {
    const first = batch[0];
    if (!first) return;
    const queue = this.#queueOf(first.callbackId);
    const sent = new Set(batch.map((entry) => entry.seq));
    const before = queue.entries.length;
    queue.entries = queue.entries.filter((entry) => !sent.has(entry.seq));
    this.#size -= before - queue.entries.length;
    queue.inFlight = false;
  }

  /** The receiver refused or could not be reached: the callback waits until `retryAtMs`. */
  failed(batch: readonly QueuedMessage[], retryAtMs: number): void {
    const first = batch[0];
    if (!first) return;
    const queue = this.#queueOf(first.callbackId);
    queue.inFlight = false;
    queue.retryAtMs = retryAtMs;
  }

  /** The messages still waiting for a callback, in queue order. */
  pendingFor(callbackId: string): readonly QueuedMessage[] {
    return this.#queues.get(callbackId)?.entries ?? [];
  }
}
