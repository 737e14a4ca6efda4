import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { z } from 'zod';
import { SimClock } from '../../clock';
import { createSimContext } from '../../context';
import { createSimulatorServer } from '../../server';
import { createV4Routes } from '../../v4/user-routes';
import { v1Routes } from '../routes';

// Test support for the colocated *.test.ts files only: the simulator with v1 and v4 mounted side by
// side on a free local port, in a small world on a frozen clock, so a test can ask both APIs about
// the same car at the same instant.

/** Query parameters; a list is sent as the same name repeated, undefined is left out. */
export type Query = Record<string, string | readonly string[] | undefined>;
export type Answer = { status: number; body: unknown };

/** API Connect's refusal body, as v1's gateway answers every error. */
export const gatewayError = z.strictObject({
  httpCode: z.string().regex(/^\d{3}$/),
  httpMessage: z.string().min(1),
  moreInformation: z.string().min(1),
});

export async function startAlertingServer(seed: string, nowMs: number) {
  const ctx = createSimContext({ seed, peers: 12, clock: new SimClock({ now: nowMs, frozen: true }) });
  // Frozen time puts every call in one second: lift v4's burst limit (v1 keeps its 100 a second).
  const server = createSimulatorServer(ctx, [
    v1Routes,
    createV4Routes({ rateLimit: { perSecond: 1_000_000 } }),
  ]);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function v1Url(path: string, query: Query) {
    const url = new URL(`${origin}/dev/connectedcar/v1${path}`);
    for (const [name, value] of Object.entries(query)) {
      for (const item of typeof value === 'string' ? [value] : (value ?? []))
        url.searchParams.append(name, item);
    }
    return url;
  }

  async function answer(response: Response): Promise<Answer> {
    return { status: response.status, body: await response.json() };
  }

  const v1Get = async (path: string, query: Query) => answer(await fetch(v1Url(path, query)));

  /** POST with a JSON body, or with `body` sent as is when it is a string. */
  const v1Post = async (path: string, query: Query, body: unknown) =>
    answer(
      await fetch(v1Url(path, query), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );

  /** A v4 GET under /connectedcar/v4 (or an absolute HAL link) as owner `ownerIndex`, every data scope. */
  async function v4Get(path: string, ownerIndex: number) {
    const owner = ctx.world.ownerAt(ownerIndex);
    const client = ctx.world.clientFor(owner.brand);
    const token = ctx.tokens.issue({
      ownerIndex,
      brand: owner.brand,
      clientId: client.clientId,
      scopes: ['openid', 'data:alert', 'data:position', 'data:trip'],
    }).access_token;
    const url = new URL(path.startsWith('http') ? path : `${origin}/connectedcar/v4${path}`);
    if (!url.searchParams.has('client_id')) url.searchParams.append('client_id', client.clientId);
    const response = await fetch(url, {
      headers: {
        accept: 'application/hal+json',
        authorization: `Bearer ${token}`,
        'x-introspect-realm': client.realm,
      },
    });
    return answer(response);
  }

  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { ctx, v1Get, v1Post, v4Get, close };
}

export type AlertingServer = Awaited<ReturnType<typeof startAlertingServer>>;

/** Asserts a v1 refusal: its status and the gateway body carrying the same code. */
export function expectRefusal(answer: Answer, status: number) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(gatewayError.parse(answer.body).httpCode).toBe(String(status));
}
