import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import type { SimVehicle } from '../../world/world';
import { startV4Server, TEST_NOW } from '../test-server';
import { webhookDispatcherOf } from './dispatcher';

// Test support for the callbacks tests: the v4 server on a frozen clock with its webhook timer off
// (tests run passes with `tick()`), JSON calls, and a local webhook receiver on a free port.
// Used by the colocated *.test.ts files only.

export type Credentials = { clientId: string; realm: string; token: string };

export async function startCallbackServer() {
  const server = await startV4Server();
  const dispatcher = webhookDispatcherOf(server.ctx);
  // The server started the timer on listening: tests drive every pass themselves.
  dispatcher.stop();

  /** A call under /connectedcar/v4 with a JSON body; answers status, headers and parsed body. */
  async function api(
    path: string,
    credentials: Credentials,
    options: { method?: string; body?: unknown; rawBody?: string } = {},
  ) {
    const url = new URL(`${server.origin}/connectedcar/v4${path}`);
    url.searchParams.append('client_id', credentials.clientId);
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: {
        accept: 'application/hal+json',
        'x-introspect-realm': credentials.realm,
        authorization: `Bearer ${credentials.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  /** Moves the frozen clock to `ms` and runs a dispatcher pass. */
  async function advanceTo(ms: number) {
    server.clock.set({ now: ms });
    await dispatcher.tick();
  }

  return { ...server, api, dispatcher, advanceTo };
}

export type CallbackTestServer = Awaited<ReturnType<typeof startCallbackServer>>;

export type ReceivedDelivery = {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed body: one message, or an array of them. */
  body: unknown;
};

export type ReceivedMessage = {
  callbackId: string;
  type: string;
  date: string;
  attributes: Array<{ key: string; value: string }>;
  monitorEvent: {
    monitorId: string;
    refresh: boolean;
    values: Array<{
      data: string;
      value: { type: string; body: { literalValue: string; objectValues?: unknown[] } };
      previous?: string;
    }>;
    extensions: Array<{ type: string; body: Array<Record<string, unknown>> }>;
  };
};

/** A webhook receiver answering each POST with the next status of `statuses` (then 200). */
export async function startReceiver() {
  const deliveries: ReceivedDelivery[] = [];
  const statuses: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://receiver.local');
      deliveries.push({
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
      });
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    deliveries,
    /** The next answers, in order (e.g. [500] to refuse the next delivery once). */
    answerWith: (...next: number[]) => statuses.push(...next),
    /** Every message received, batches flattened, in order of arrival. */
    messages: () =>
      deliveries.flatMap((delivery) =>
        Array.isArray(delivery.body)
          ? (delivery.body as ReceivedMessage[])
          : [delivery.body as ReceivedMessage],
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** The `x-event-id` attribute of a message. */
export const eventIdOfMessage = (message: ReceivedMessage) =>
  message.attributes.find((attribute) => attribute.key === 'x-event-id')?.value;

export type CallbackTestBed = { readonly server: CallbackTestServer; readonly receiver: Receiver };

/**
 * A callback server and a webhook receiver, fresh for every test of the calling file: started in
 * `beforeEach`, closed in `afterEach`. Read `bed.server` and `bed.receiver` inside tests only.
 */
export function callbackTestBedPerTest(): CallbackTestBed {
  let current: { server: CallbackTestServer; receiver: Receiver } | undefined;
  beforeEach(async () => {
    current = { server: await startCallbackServer(), receiver: await startReceiver() };
  });
  afterEach(async () => {
    await current?.server.close();
    await current?.receiver.close();
    current = undefined;
  });
  const started = () => {
    if (!current) throw new Error('the callback test bed is only running inside a test');
    return current;
  };
  return {
    get server() {
      return started().server;
    },
    get receiver() {
      return started().receiver;
    },
  };
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The demo owner's car with that powertrain. */
export function demoCarOf(server: CallbackTestServer, powertrain: SimVehicle['powertrain']): SimVehicle {
  const car = server.ctx.world.ownerAt(0).vehicles.find((vehicle) => vehicle.powertrain === powertrain);
  if (!car) throw new Error(`the demo owner has no ${powertrain} car`);
  return car;
}

/** The car's trips that start after the test's start (TEST_NOW + 1 min) and within `days`, oldest first. */
export function tripsAhead(server: CallbackTestServer, car: SimVehicle, days = 3): TripRecord[] {
  return server.ctx.fleet
    .timelineOf(car)
    .tripsBetween(TEST_NOW + MINUTE_MS, TEST_NOW + days * DAY_MS)
    .filter((trip) => trip.startMs > TEST_NOW + MINUTE_MS);
}

/** A monitor's `triggerParam` firing on every trip start and stop (vehicle-apis.md §4.2). */
export const TRIP_START_STOP_TRIGGERS = {
  triggers: [
    { name: 'start', data: { data: 'vehicle.trip.start', op: 'onChange' } },
    { name: 'stop', data: { data: 'vehicle.trip.stop', op: 'onChange' } },
  ],
  boolExp: 'start | stop',
};
