import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule } from './rules';
import { type FaultTestServer, startFaultServer } from './test-server';

// Every HTTP fault kind at rate 1 against the real server, on the documented v4 list endpoint
// (and a vehicle sub-resource for `silent`): status, body and socket behaviour as a client sees them.

const LIST = '/user/vehicles';

type GatewayBody = { httpCode: string; httpMessage: string; moreInformation: string };
type ApiErrorBody = { code: number; uuid: string; message: string; timestamp: string };

let sim: FaultTestServer;
let token: string;

beforeAll(async () => {
  sim = await startFaultServer();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.setRules([]);
  token = sim.issueToken().access_token;
});

const only = (rule: FaultRule) => sim.setRules([rule]);

/** The error a rejected fetch carries underneath undici's generic "fetch failed" / "terminated". */
function causeOf(error: unknown): { code?: string; name?: string } {
  const cause = (error as { cause?: { code?: string; name?: string } }).cause;
  return cause ?? (error as { code?: string; name?: string });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('faults on the v4 API', () => {
  it('answers genuinely with no rules', async () => {
    const response = await sim.callV4(LIST, token);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-sim-fault')).toBeNull();
    expect(((await response.json()) as { total: number }).total).toBeGreaterThan(0);
  });

  it('rate_limit: 429 in the gateway form with Retry-After and X-RateLimit-Reset', async () => {
    only({ kind: 'rate_limit', rate: 1, params: { retryAfterS: 120 } });
    const response = await sim.callV4(LIST, token);
    expect(response.status).toBe(429);
    expect(response.headers.get('x-sim-fault')).toBe('rate_limit');
    expect(response.headers.get('retry-after')).toBe('120');
    expect(response.headers.get('x-ratelimit-reset')).toBe('120');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      httpCode: '429',
      httpMessage: 'Too Many Requests',
      moreInformation: 'Rate Limit exceeded',
    } satisfies GatewayBody);

    only({ kind: 'rate_limit', rate: 1 });
    const byDefault = await sim.callV4(LIST, token);
    expect(byDefault.headers.get('retry-after')).toBe('60');
    await byDefault.body?.cancel();
  });

  it('quota_exceeded: 403 in the gateway form saying the quota is exceeded, with no Retry-After', async () => {
    only({ kind: 'quota_exceeded', rate: 1 });
    const response = await sim.callV4(LIST, token);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-sim-fault')).toBe('quota_exceeded');
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.json()).toEqual({
      httpCode: '403',
      httpMessage: 'Forbidden',
      moreInformation: 'Quota limit exceeded',
    } satisfies GatewayBody);
  });

  it('hostile_names: the genuine list, every car named with markup and an SQL string', async () => {
    only({ kind: 'hostile_names', rate: 1 });
    const response = await sim.callV4(LIST, token);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-sim-fault')).toBe('hostile_names');
    const body = (await response.json()) as { _embedded: { vehicles: { label: string; vin: string }[] } };
    expect(body._embedded.vehicles.length).toBeGreaterThan(0);
    for (const vehicle of body._embedded.vehicles) {
      expect(vehicle.label).toBe(`<img src=x onerror=alert(1)> '; DROP TABLE trips;--`);
      expect(vehicle.vin).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/);
    }
  });

  it('server_error: 500 or 503 with the portal error body, chosen reproducibly', async () => {
    only({ kind: 'server_error', rate: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 16; i += 1) {
      const response = await sim.callV4(LIST, token);
      expect(response.headers.get('x-sim-fault')).toBe('server_error');
      expect(response.headers.get('content-type')).toBe('application/hal+json');
      const body = (await response.json()) as ApiErrorBody;
      expect(body).toEqual({
        code: response.status * 100,
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        message: response.status === 500 ? 'Internal error.' : 'Service unavailable.',
        timestamp: expect.any(String),
      });
      statuses.push(response.status);
    }
    expect(new Set(statuses)).toEqual(new Set([500, 503]));

    // Setting the rules again restarts the request count: the same statuses in the same order.
    only({ kind: 'server_error', rate: 1 });
    const again: number[] = [];
    for (let i = 0; i < 16; i += 1) {
      const response = await sim.callV4(LIST, token);
      await response.body?.cancel();
      again.push(response.status);
    }
    expect(again).toEqual(statuses);
  });

  it('latency: waits latencyMs, then answers genuinely', async () => {
    only({ kind: 'latency', rate: 1, params: { latencyMs: 150 } });
    const started = performance.now();
    const response = await sim.callV4(LIST, token);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-sim-fault')).toBe('latency');
    expect(((await response.json()) as { total: number }).total).toBeGreaterThan(0);
  });

  it('timeout: never answers; the client gives up first', async () => {
    only({ kind: 'timeout', rate: 1, params: { latencyMs: 300 } });
    const error = await rejection(sim.callV4(LIST, token, AbortSignal.timeout(100)));
    expect((error as Error).name).toBe('TimeoutError');
  });

  it('timeout: closes the socket without a response after latencyMs', async () => {
    only({ kind: 'timeout', rate: 1, params: { latencyMs: 300 } });
    const started = performance.now();
    const raw = await sim.rawV4(LIST, token);
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(raw.status).toBe(0);
    expect(raw.error?.code).toBe('ECONNRESET');
    expect(raw.error?.message).toBe('socket hang up');
  });

  it('reset: the connection is reset without a response', async () => {
    only({ kind: 'reset', rate: 1 });
    const error = await rejection(sim.callV4(LIST, token));
    expect(causeOf(error).code).toBe('ECONNRESET');
    const raw = await sim.rawV4(LIST, token);
    expect(raw.status).toBe(0);
    expect(raw.error?.code).toBe('ECONNRESET');
  });

  it('token_expired: 401 exactly as the gateway refuses a dead token; the token still works after', async () => {
    const genuine = await sim.callV4(LIST, 'not-a-live-token');
    only({ kind: 'token_expired', rate: 1 });
    const response = await sim.callV4(LIST, token);
    expect(response.status).toBe(genuine.status);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-sim-fault')).toBe('token_expired');
    expect(response.headers.get('www-authenticate')).toBe(genuine.headers.get('www-authenticate'));
    expect(response.headers.get('content-type')).toBe(genuine.headers.get('content-type'));
    const body = (await response.json()) as GatewayBody;
    expect(body).toEqual(await genuine.json());
    expect(body.moreInformation).toBe('Token is invalid');

    sim.setRules([]);
    expect((await sim.callV4(LIST, token)).status).toBe(200);
  });

  it('token_revoked: 401 and the token and its refresh token are really revoked', async () => {
    const pair = sim.issueToken();
    const bystander = sim.issueToken(0).access_token;
    only({ kind: 'token_revoked', rate: 1 });
    const response = await sim.callV4(LIST, pair.access_token);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-sim-fault')).toBe('token_revoked');
    expect(((await response.json()) as GatewayBody).moreInformation).toBe('Token is invalid');

    sim.setRules([]);
    const after = await sim.callV4(LIST, pair.access_token);
    expect(after.status).toBe(401);
    expect(after.headers.get('x-sim-fault')).toBeNull();
    await after.body?.cancel();
    expect(sim.ctx.tokens.refresh(pair.refresh_token, sim.client.clientId)).toBeNull();
    // Another grant of the same owner is untouched.
    expect((await sim.callV4(LIST, bystander)).status).toBe(200);
  });

  it('malformed: 200 hal+json whose body is not JSON', async () => {
    only({ kind: 'malformed', rate: 1 });
    const response = await sim.callV4(LIST, token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/hal+json');
    expect(response.headers.get('x-sim-fault')).toBe('malformed');
    const text = await response.text();
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('truncated: the genuine headers and full Content-Length, half the body, then a closed socket', async () => {
    const genuine = await sim.rawV4(LIST, token);
    expect(genuine.error).toBeNull();
    only({ kind: 'truncated', rate: 1 });
    const raw = await sim.rawV4(LIST, token);
    expect(raw.status).toBe(200);
    expect(raw.headers['x-sim-fault']).toBe('truncated');
    expect(raw.headers['content-type']).toBe('application/hal+json');
    const declared = Number(raw.headers['content-length']);
    expect(declared).toBe(genuine.body.length);
    expect(raw.body.length).toBe(Math.floor(declared / 2));
    expect(raw.error?.code).toBe('ECONNRESET');
    expect(raw.body.toString('utf8')).toBe(genuine.body.subarray(0, raw.body.length).toString('utf8'));

    // fetch gets the headers, then fails while reading the body.
    const response = await sim.callV4(LIST, token);
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it('stale: the answer as it was delayS ago, marked', async () => {
    const [car] = sim.ctx.world.ownerAt(0).vehicles;
    if (!car) throw new Error('the demo owner has no car');
    const fortnightAgo = new Date(sim.ctx.clock.now() - 14 * 86_400_000).toISOString();
    const tripsPath = `/user/vehicles/${car.id}/trips?pageSize=60&timestamps=${fortnightAgo}/`;
    const startsOf = async (response: Response) =>
      ((await response.json()) as { _embedded: { trips: { startedAt: string }[] } })._embedded.trips.map(
        (trip) => Date.parse(trip.startedAt),
      );
    const genuine = await startsOf(await sim.callV4(tripsPath, token));
    const weekAgo = sim.ctx.clock.now() - 7 * 86_400_000;
    expect(genuine.some((start) => start > weekAgo)).toBe(true);

    only({ kind: 'stale', rate: 1, params: { delayS: 7 * 86_400 } });
    const response = await sim.callV4(tripsPath, token);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-sim-fault')).toBe('stale');
    const stale = await startsOf(response);
    expect(stale.length).toBeGreaterThan(0);
    // The car's last week has not reached the cloud yet: nothing newer than a week ago.
    expect(Math.max(...stale)).toBeLessThan(weekAgo);
  });

  it('silent: no data for the owner’s car sub-resources; the car itself and other cars answer genuinely', async () => {
    const [car] = sim.ctx.world.ownerAt(0).vehicles;
    if (!car) throw new Error('the demo owner has no car');
    const statusPath = `/user/vehicles/${car.id}/status`;
    const genuine = await sim.callV4(statusPath, token);
    expect(genuine.status).toBe(200);
    await genuine.body?.cancel();

    only({ kind: 'silent', rate: 1 });
    const response = await sim.callV4(statusPath, token);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-sim-fault')).toBe('silent');
    expect(response.headers.get('content-type')).toBe('application/hal+json');
    expect(await response.json()).toEqual({
      code: 40499,
      uuid: expect.any(String),
      message: 'No data availble for such context.',
      timestamp: expect.any(String),
    });

    const itself = await sim.callV4(`/user/vehicles/${car.id}`, token);
    expect(itself.status).toBe(200);
    expect(itself.headers.get('x-sim-fault')).toBeNull();
    await itself.body?.cancel();

    // Someone else's car, or no live token: the genuine answer, so the fault reveals no ids.
    const [foreign] = sim.ctx.world.ownerAt(1).vehicles;
    if (!foreign) throw new Error('owner 1 has no car');
    const other = await sim.callV4(`/user/vehicles/${foreign.id}/status`, token);
    expect(other.headers.get('x-sim-fault')).toBeNull();
    expect(((await other.json()) as ApiErrorBody).code).not.toBe(40499);
    const anonymous = await sim.callV4(statusPath, 'not-a-live-token');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('x-sim-fault')).toBeNull();
    await anonymous.body?.cancel();
  });

  it('webhook kinds are stored but never fire on HTTP', async () => {
    sim.setRules([
      { kind: 'webhook_duplicate', rate: 1 },
      { kind: 'webhook_reorder', rate: 1 },
      { kind: 'webhook_delay', rate: 1, params: { delayS: 30 } },
    ]);
    const response = await sim.callV4(LIST, token);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-sim-fault')).toBeNull();
    await response.body?.cancel();
  });
});

describe('faults on the identity providers', () => {
  const tokenUrl = () => `${sim.origin}/am/oauth2/access_token`;
  const refresh = (refreshToken: string) =>
    fetch(tokenUrl(), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sim.client.clientId}:${sim.ctx.world.clientFor('peugeot').clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });

  it('answers rate_limit and server_error in OAuth’s error shape', async () => {
    const pair = sim.issueToken();
    only({ kind: 'rate_limit', rate: 1, endpoints: ['/am/oauth2/**'], params: { retryAfterS: 5 } });
    const limited = await refresh(pair.refresh_token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('5');
    expect(limited.headers.get('x-sim-fault')).toBe('rate_limit');
    expect(await limited.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'Rate Limit exceeded',
    });

    only({ kind: 'server_error', rate: 1, endpoints: ['/*/am/oauth2/**', '/am/oauth2/**'] });
    const failed = await refresh(pair.refresh_token);
    expect([500, 503]).toContain(failed.status);
    const body = (await failed.json()) as { error: string };
    expect(body.error).toBe(failed.status === 500 ? 'server_error' : 'temporarily_unavailable');
  });

  it('never fires the v4-only token faults there', async () => {
    const pair = sim.issueToken();
    sim.setRules([
      { kind: 'token_expired', rate: 1 },
      { kind: 'token_revoked', rate: 1 },
    ]);
    const response = await refresh(pair.refresh_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-sim-fault')).toBeNull();
    expect(((await response.json()) as { access_token: string }).access_token).toEqual(expect.any(String));
  });
});

describe('a parked request and server.close()', () => {
  it('close() destroys parked sockets instead of waiting out the timeout', async () => {
    const own = await startFaultServer();
    own.setRules([{ kind: 'timeout', rate: 1 }]); // default: parked for 60 s
    const pending = own.rawV4(LIST, own.issueToken().access_token);
    // Wait until the request is parked on the server.
    for (let i = 0; i < 100 && (await connections(own)) === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await connections(own)).toBe(1);
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(2000);
    const raw = await pending;
    expect(raw.status).toBe(0);
    expect(raw.error).not.toBeNull();
  });
});

function connections(server: FaultTestServer): Promise<number> {
  return new Promise((resolve, reject) =>
    server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}
