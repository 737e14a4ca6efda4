import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimClock } from '../clock';
import { createSimContext } from '../context';
import { TEST_TOKEN_SCOPES } from '../oauth/scopes';
import { createSimulatorServer } from '../server';
import type { FaultRule } from './rules';
import { FaultSwitchboard } from './switchboard';

// Test support: the whole simulator (every route family, test endpoints on) on a free local port,
// with helpers to switch faults and call v4 as the demo owner. Used by the colocated tests only.

export const TEST_NOW = Date.parse('2026-03-01T08:00:00Z');

export type RawResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes that arrived, complete or not. */
  body: Buffer;
  /** Set when the connection failed before the response was complete. */
  error: NodeJS.ErrnoException | null;
};

export async function startFaultServer(options: { seed?: string } = {}) {
  // A running clock: the gateway's one-second rate window moves, so no test trips it by accident.
  const clock = new SimClock({ now: TEST_NOW });
  const ctx = createSimContext({
    seed: 'faults-test',
    peers: 12,
    clock,
    testEndpoints: true,
    faults: new FaultSwitchboard(undefined, options.seed === undefined ? {} : { seed: options.seed }),
  });
  const server = createSimulatorServer(ctx);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const client = ctx.world.clientFor('peugeot');

  /** A token pair of `ownerIndex` (a Peugeot owner; the demo owner by default). */
  function issueToken(ownerIndex = 0) {
    return ctx.tokens.issue({
      ownerIndex,
      brand: 'peugeot',
      clientId: client.clientId,
      scopes: [...TEST_TOKEN_SCOPES],
    });
  }

  function v4Url(path: string): string {
    const url = new URL(`${origin}/connectedcar/v4${path}`);
    url.searchParams.set('client_id', client.clientId);
    return url.toString();
  }

  function v4Headers(token: string): Record<string, string> {
    return {
      accept: 'application/hal+json',
      'x-introspect-realm': client.realm,
      authorization: `Bearer ${token}`,
    };
  }

  /** GET `path` under /connectedcar/v4 with the peugeot client, its realm and `token`. */
  function callV4(path: string, token: string, signal?: AbortSignal) {
    return fetch(v4Url(path), { headers: v4Headers(token), ...(signal ? { signal } : {}) });
  }

  /** The same through node:http, keeping whatever part of the body arrived before an error. */
  function rawV4(path: string, token: string): Promise<RawResponse> {
    return new Promise((resolve) => {
      const outgoing = httpRequest(v4Url(path), { headers: v4Headers(token), agent: false });
      outgoing.on('response', (incoming) => {
        const chunks: Buffer[] = [];
        const done = (error: NodeJS.ErrnoException | null) =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks),
            error,
          });
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => done(null));
        incoming.on('error', (error) => done(error));
      });
      outgoing.on('error', (error) => resolve({ status: 0, headers: {}, body: Buffer.alloc(0), error }));
      outgoing.end();
    });
  }

  function setRules(rules: FaultRule[]) {
    ctx.faults.set({ rules });
  }

  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));

  return { ctx, server, origin, client, issueToken, v4Url, callV4, rawV4, setRules, close };
}

export type FaultTestServer = Awaited<ReturnType<typeof startFaultServer>>;
