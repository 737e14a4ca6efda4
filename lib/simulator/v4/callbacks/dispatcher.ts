import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { SimContext } from '../../context';
import type { SimVehicle } from '../../world/world';
import { resolveAttributes } from './attributes';
import { DeliveryQueue, type QueuedMessage } from './delivery-queue';
import { buildMessage, eventIdOf } from './messages';
import { type Fire, initialScanState, ReadingsCache, type ScanInput, scanMonitor } from './monitor-scan';
import { EVENT_ID_KEY } from './schemas';
import { type CallbackStore, existingCallbackStore, type MonitorRecord } from './store';

// Raises monitor events and delivers them to the webhooks, as the simulated clock moves (frozen,
// real time or fast-forwarded through /sim/clock). Each pass:
// 1. scans every monitor over (its last scanned instant, now] in chunks of at most 6 simulated
//    hours, yielding to the event loop between chunks so the HTTP server keeps answering; events
//    of one chunk are queued in time order. A clock set back restarts monitors from the new now
//    (nothing is replayed); a clock jumped forward by more than the 3-day retention skips what
//    would be dropped anyway.
// 2. sends each callback's next delivery: one message as a JSON object, or, when several are
//    due for the same target and headers (a lag: retries, a fast clock), a JSON array of up to 100
//    (the PSA batch). Headers: the subscriber's Header attributes, `content-type:
//    application/json`, `x-event-id` (the message's id; a batch lists its ids, comma-separated,
//    in order) and `x-sim-fault: <kind>` when a webhook fault shaped the delivery. Any 2xx is
//    delivered; anything else, a timeout or a network error is retried every 10 simulated seconds,
//    until the message is 3 simulated days old.
// A timer runs a pass every real second (unref'd: it never keeps the process alive); tests call
// `tick()` instead, which also waits for the deliveries it started. Errors are logged, never thrown
// into the server.

export type DispatcherOptions = {
  /** Simulated ms between attempts after a failed delivery (the spec's 10 s). */
  retryDelayMs: number;
  /** Simulated ms after which an undelivered message is dropped (the spec's 72 h). */
  maxAgeMs: number;
  /** Messages per delivery at most (the spec's 100). */
  batchSize: number;
  /** Real ms a receiver gets to answer. */
  timeoutMs: number;
  /** Real ms between timer passes. */
  intervalMs: number;
  /** Simulated ms scanned per monitor before yielding. */
  scanChunkMs: number;
};

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  retryDelayMs: 10_000,
  maxAgeMs: 3 * 86_400_000,
  batchSize: 100,
  timeoutMs: 10_000,
  intervalMs: 1000,
  scanChunkMs: 6 * 3_600_000,
};

/** Deliveries in flight at once, over all callbacks. */
const MAX_IN_FLIGHT = 32;
/** Passes `tick()` runs at most while deliveries keep freeing further ones (duplicates, batches). */
const MAX_TICK_ROUNDS = 20;

export class WebhookDispatcher {
  readonly #ctx: SimContext;
  #options: DispatcherOptions = { ...DEFAULT_DISPATCHER_OPTIONS };
  readonly #queue = new DeliveryQueue();
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(ctx: SimContext) {
    this.#ctx = ctx;
  }

  configure(options: Partial<DispatcherOptions>): void {
    this.#options = { ...this.#options, ...options };
    if (this.#timer) {
      this.stop();
      this.start();
    }
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#run().catch((error: unknown) => console.error('[simulator] webhook pass failed', error));
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The messages waiting for a callback (tests). */
  pending(callbackId: string): readonly QueuedMessage[] {
    return this.#queue.pendingFor(callbackId);
  }

  /**
   * One pass now, after any pass under way: scan, send what is due, and wait for those
   * deliveries; again while deliveries free further ones (a duplicate after its original).
   */
  async tick(): Promise<void> {
    for (let round = 0; round < MAX_TICK_ROUNDS; round++) {
      while (this.#running) await this.#running;
      const started = await this.#run();
      await Promise.allSettled([...this.#inFlight]);
      if (started === 0) return;
    }
  }

  /** A pass; resolves with the number of deliveries it started. */
  #run(): Promise<number> {
    const pass = this.#pass();
    const running = pass.then(
      () => undefined,
      () => undefined,
    );
    this.#running = running;
    void running.then(() => {
      if (this.#running === running) this.#running = null;
    });
    return pass;
  }

  async #pass(): Promise<number> {
    const store = existingCallbackStore(this.#ctx);
    if (!store) return 0;
    try {
      await this.#scan(store);
    } catch (error) {
      console.error('[simulator] webhook scan failed', error);
    }
    return this.#send(store);
  }

  // --- Events -------------------------------------------------------------------------------------

  async #scan(store: CallbackStore): Promise<void> {
    const nowMs = this.#ctx.clock.now();
    const cache = new ReadingsCache();
    for (;;) {
      const fires: Array<{ monitor: MonitorRecord; vehicle: SimVehicle; fire: Fire }> = [];
      let behind = false;
      for (const monitor of store.monitors.values()) {
        const vehicle = this.#ctx.world.findVehicle(monitor.vehicleId);
        if (!vehicle) continue;
        const input: ScanInput = {
          ctx: this.#ctx,
          vehicle,
          monitor: monitor.compiled,
          view: {
            apiBase: monitor.apiBase,
            telemetry: monitor.scopes.includes('data:telemetry'),
            position: monitor.scopes.includes('data:position'),
          },
          cache,
        };
        const callback = store.callbacks.get(monitor.callbackId);
        const deliver = monitor.status === 'Running' && callback?.status === 'Running';
        const fromMs = monitor.scan?.lastScannedMs ?? monitor.sinceMs;
        const toMs = Math.min(
          nowMs,
          Math.max(fromMs, nowMs - this.#options.maxAgeMs) + this.#options.scanChunkMs,
        );
        try {
          if (!monitor.scan || nowMs < fromMs || nowMs - fromMs > this.#options.maxAgeMs) {
            const sinceMs = Math.min(nowMs, Math.max(fromMs, nowMs - this.#options.maxAgeMs));
            monitor.scan = initialScanState(input, sinceMs);
          }
          const state = monitor.scan;
          if (state.lastScannedMs >= nowMs) continue;
          const chunkEndMs = Math.min(nowMs, state.lastScannedMs + this.#options.scanChunkMs);
          behind ||= chunkEndMs < nowMs;
          for (const fire of scanMonitor(input, state, chunkEndMs, deliver))
            fires.push({ monitor, vehicle, fire });
        } catch (error) {
          // One monitor's failure must not stall the others: it skips the span it failed on.
          console.error(`[simulator] monitor ${monitor.id} failed to scan`, error);
          if (monitor.scan)
            monitor.scan.lastScannedMs = Math.max(monitor.scan.lastScannedMs, Math.min(nowMs, toMs));
        }
      }
      fires.sort((a, b) => a.fire.atMs - b.fire.atMs);
      for (const { monitor, vehicle, fire } of fires) {
        try {
          this.#raise(store, monitor, vehicle, fire, cache);
        } catch (error) {
          console.error(`[simulator] monitor ${monitor.id} failed to raise an event`, error);
        }
      }
      if (!behind) return;
      await yieldToLoop();
    }
  }

  #raise(
    store: CallbackStore,
    monitor: MonitorRecord,
    vehicle: SimVehicle,
    fire: Fire,
    cache: ReadingsCache,
  ): void {
    const callback = store.callbacks.get(monitor.callbackId);
    const target = callback?.subscribe.callback.webhook?.target;
    if (!callback || !target) return;
    const eventId = eventIdOf(this.#ctx.world.seed, monitor.id, fire);
    const message = buildMessage(
      {
        ctx: this.#ctx,
        vehicle,
        callback,
        monitor,
        fire,
        attributes: resolveAttributes(callback, monitor, vehicle.vin),
        cache,
      },
      eventId,
    );
    const decision = this.#ctx.faults.pickDelivery({ path: new URL(target).pathname, vehicleId: vehicle.id });
    this.#queue.enqueue(
      {
        eventId,
        callbackId: callback.id,
        monitorId: monitor.id,
        vehicleId: vehicle.id,
        vin: vehicle.vin,
        message,
        raisedAtMs: fire.atMs,
      },
      decision,
    );
  }

  // --- Deliveries ---------------------------------------------------------------------------------

  /** Where and how an entry would be sent now, or null when its subscription is gone. */
  #transportOf(store: CallbackStore, entry: QueuedMessage) {
    const callback = store.callbacks.get(entry.callbackId);
    const monitor = store.monitors.get(entry.monitorId);
    const webhook = callback?.subscribe.callback.webhook;
    if (!callback || !monitor || !webhook) return null;
    const attributes = resolveAttributes(callback, monitor, entry.vin);
    const url = new URL(webhook.target);
    for (const [key, value] of attributes.query) url.searchParams.append(key, value);
    return { url: url.toString(), headers: attributes.headers };
  }

  #send(store: CallbackStore): number {
    const nowMs = this.#ctx.clock.now();
    const { maxAgeMs, batchSize, retryDelayMs } = this.#options;
    this.#queue.prune(nowMs, maxAgeMs, (entry) => this.#transportOf(store, entry) !== null);
    if (this.#inFlight.size >= MAX_IN_FLIGHT) return 0;
    const batches = this.#queue.takeDue(
      nowMs,
      batchSize,
      (callbackId) => store.callbacks.get(callbackId)?.status === 'Running',
      (entry) => {
        const transport = this.#transportOf(store, entry);
        return transport ? JSON.stringify([transport.url, Object.entries(transport.headers).sort()]) : null;
      },
    );
    for (const batch of batches) {
      const first = batch[0] as QueuedMessage;
      const transport = this.#transportOf(store, first);
      if (!transport) {
        this.#queue.failed(batch, nowMs);
        continue;
      }
      const delivery = this.#post(transport, batch).then((ok) => {
        if (ok) this.#queue.delivered(batch);
        else this.#queue.failed(batch, this.#ctx.clock.now() + retryDelayMs);
      });
      const tracked = delivery.finally(() => this.#inFlight.delete(tracked));
      this.#inFlight.add(tracked);
    }
    return batches.length;
  }

  async #post(
    transport: { url: string; headers: Record<string, string> },
    batch: readonly QueuedMessage[],
  ): Promise<boolean> {
    const faults = [...new Set(batch.map((entry) => entry.fault).filter((fault) => fault !== null))];
    const body = batch.length === 1 ? batch[0]?.message : batch.map((entry) => entry.message);
    try {
      const response = await fetch(transport.url, {
        method: 'POST',
        headers: {
          ...transport.headers,
          'content-type': 'application/json',
          'user-agent': 'kinetic-sim-webhooks/1',
          [EVENT_ID_KEY]: batch.map((entry) => entry.eventId).join(', '),
          ...(faults.length > 0 ? { 'x-sim-fault': faults.join(', ') } : {}),
        },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      await response.body?.cancel();
      return response.status >= 200 && response.status < 300;
    } catch {
      // Unreachable, timed out or reset: retried like a refusal.
      return false;
    }
  }
}

const dispatchers = new WeakMap<SimContext, WebhookDispatcher>();

/** The dispatcher of a simulated cloud (one per context, created on first use, not started). */
export function webhookDispatcherOf(ctx: SimContext): WebhookDispatcher {
  let dispatcher = dispatchers.get(ctx);
  if (!dispatcher) {
    dispatcher = new WebhookDispatcher(ctx);
    dispatchers.set(ctx, dispatcher);
  }
  return dispatcher;
}
