import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { z } from 'zod';
import { SimClock } from '../clock';
import { createSimContext, type SimContext } from '../context';
import { TEST_TOKEN_SCOPES } from '../oauth/scopes';
import { createSimulatorServer } from '../server';
import { createV4Routes, type V4Options } from './user-routes';

// Test support: the simulator server with only the v4 family mounted, on a free local port, in a
// small world on a frozen clock. Used by the colocated *.test.ts files only.

export const TEST_NOW = Date.parse('2026-03-01T08:00:00Z');

/** Gateway credentials; a field left undefined is left out of the request. */
export type Credentials = { clientId?: string; realm?: string; token?: string };

/**
 * A live token pair of `ownerIndex` for their brand's client, as the identity provider issues it
 * after consent, with every data scope unless `scopes` says otherwise; `credentials` is what a v4
 * call sends (client_id, realm, bearer token).
 */
export function issueTestCredentials(
  ctx: SimContext,
  ownerIndex: number,
  scopes: readonly string[] = TEST_TOKEN_SCOPES,
) {
  const owner = ctx.world.ownerAt(ownerIndex);
  const client = ctx.world.clientFor(owner.brand);
  const issued = ctx.tokens.issue({
    ownerIndex,
    brand: owner.brand,
    clientId: client.clientId,
    scopes: [...scopes],
  });
  const credentials: Required<Credentials> = {
    clientId: client.clientId,
    realm: client.realm,
    token: issued.access_token,
  };
  return { owner, client, issued, credentials };
}

export type CallOptions = { method?: string; headers?: Record<string, string> };

export async function startV4Server(options: V4Options = {}) {
  const clock = new SimClock({ now: TEST_NOW, frozen: true });
  const ctx = createSimContext({ seed: 'v4-test', peers: 20, clock });
  // Frozen time puts every call in the same second: tests that are not about rate limits lift it.
  const server = createSimulatorServer(ctx, [
    createV4Routes({ rateLimit: { perSecond: 1_000_000, ...options.rateLimit } }),
  ]);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  /** Gateway credentials of `ownerIndex` (see issueTestCredentials). */
  const credentialsFor = (ownerIndex: number, scopes?: readonly string[]) =>
    issueTestCredentials(ctx, ownerIndex, scopes).credentials;

  /** `path` is under /connectedcar/v4 (or absolute, as found in a HAL link); client_id is appended. */
  async function call(path: string, credentials: Credentials, callOptions: CallOptions = {}) {
    const url = new URL(path.startsWith('http') ? path : `${origin}/connectedcar/v4${path}`);
    if (credentials.clientId !== undefined) url.searchParams.append('client_id', credentials.clientId);
    const headers: Record<string, string> = { accept: 'application/hal+json', ...callOptions.headers };
    if (credentials.realm !== undefined) headers['x-introspect-realm'] = credentials.realm;
    if (credentials.token !== undefined) headers.authorization = `Bearer ${credentials.token}`;
    return fetch(url, { method: callOptions.method ?? 'GET', headers });
  }

  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));

  return { ctx, clock, origin, credentialsFor, call, close };
}

export type V4TestServer = Awaited<ReturnType<typeof startV4Server>>;

/** The portal's error body, strictly: a five-digit code, a uuid and a millisecond timestamp. */
const apiErrorSchema = z.strictObject({
  code: z.number().int().min(10_000).max(59_999),
  uuid: z.uuid(),
  message: z.string().min(1),
  timestamp: z.iso.datetime({ precision: 3 }),
});

/** Asserts a v4 refusal: its status, HAL content type and portal body with `code`; returns the body. */
export async function expectApiError(response: Response, status: number, code: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/hal+json');
  const body = apiErrorSchema.parse(await response.json());
  expect(Math.floor(body.code / 100)).toBe(status);
  expect(body.code).toBe(code);
  return body;
}
