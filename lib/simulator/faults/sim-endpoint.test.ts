import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FaultTestServer, startFaultServer } from './test-server';

// `GET|POST /sim/faults` over HTTP, and the rules' filters as a client sees them.

let sim: FaultTestServer;

beforeAll(async () => {
  sim = await startFaultServer();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.ctx.testEndpoints = true;
  sim.setRules([]);
});

const postFaults = (body: unknown) =>
  fetch(`${sim.origin}/sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('/sim/faults', () => {
  it('starts empty, replaces the rules on POST and reads them back', async () => {
    expect(await (await fetch(`${sim.origin}/sim/faults`)).json()).toEqual({ rules: [] });
    const rules = {
      rules: [
        { kind: 'rate_limit', rate: 0.25, endpoints: ['/connectedcar/**'], params: { retryAfterS: 30 } },
        { kind: 'webhook_delay', rate: 1, params: { delayS: 10 } },
      ],
    };
    const posted = await postFaults(rules);
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual(rules);
    expect(await (await fetch(`${sim.origin}/sim/faults`)).json()).toEqual(rules);

    const replaced = { rules: [{ kind: 'stale', rate: 1 }] };
    expect(await (await postFaults(replaced)).json()).toEqual(replaced);
    expect(sim.ctx.faults.get()).toEqual(replaced);
  });

  it.each([
    ['a rate above 1', { rules: [{ kind: 'reset', rate: 3 }] }, 'rules.0.rate'],
    ['an unknown kind', { rules: [{ kind: 'flood', rate: 1 }] }, 'rules.0.kind'],
    ['an unknown field', { rules: [], note: 'x' }, 'note'],
    ['an empty body', '', 'rules'],
    ['a body that is not JSON', '{"rules":', 'not valid JSON'],
  ])('refuses %s with a 400 and keeps the rules', async (_case, body, detail) => {
    sim.setRules([{ kind: 'stale', rate: 1 }]);
    const response = await postFaults(body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe('bad_request');
    expect(answer.error.message).toContain(detail);
    expect(sim.ctx.faults.get()).toEqual({ rules: [{ kind: 'stale', rate: 1 }] });
  });

  it('refuses other methods with 405', async () => {
    const response = await fetch(`${sim.origin}/sim/faults`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  it('does not exist without the test endpoints', async () => {
    sim.ctx.testEndpoints = false;
    expect((await fetch(`${sim.origin}/sim/faults`)).status).toBe(404);
    expect((await postFaults({ rules: [{ kind: 'reset', rate: 1 }] })).status).toBe(404);
    expect(sim.ctx.faults.get()).toEqual({ rules: [] });
  });

  it('is never faulted itself, nor is /health, whatever the rules', async () => {
    expect(
      (
        await postFaults({
          rules: [
            { kind: 'reset', rate: 1, endpoints: ['/**'] },
            { kind: 'timeout', rate: 1 },
          ],
        })
      ).status,
    ).toBe(200);
    for (const path of ['/health', '/sim/faults', '/sim/clock', '/sim/owners?limit=1']) {
      const response = await fetch(`${sim.origin}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('x-sim-fault'), path).toBeNull();
      await response.body?.cancel();
    }
    // The switches stay reachable to turn the faults off again.
    expect(await (await postFaults({ rules: [] })).json()).toEqual({ rules: [] });
    expect((await sim.callV4('/user', sim.issueToken().access_token)).status).toBe(200);
  });
});

describe('rule filters over HTTP', () => {
  it('a rule for one vehicle does not touch another’s requests', async () => {
    const [carA, carB] = sim.ctx.world.ownerAt(0).vehicles;
    if (!carA || !carB) throw new Error('the demo owner should have two cars');
    const token = sim.issueToken().access_token;
    await postFaults({ rules: [{ kind: 'server_error', rate: 1, vehicles: [carA.id] }] });

    for (let i = 0; i < 5; i += 1) {
      const a = await sim.callV4(`/user/vehicles/${carA.id}`, token);
      expect([500, 503]).toContain(a.status);
      expect(a.headers.get('x-sim-fault')).toBe('server_error');
      await a.body?.cancel();

      const b = await sim.callV4(`/user/vehicles/${carB.id}`, token);
      expect(b.status).toBe(200);
      expect(b.headers.get('x-sim-fault')).toBeNull();
      expect(((await b.json()) as { id: string }).id).toBe(carB.id);

      const list = await sim.callV4('/user/vehicles', token);
      expect(list.status).toBe(200);
      await list.body?.cancel();
    }
  });

  it('endpoint globs pick the paths', async () => {
    const token = sim.issueToken().access_token;
    await postFaults({ rules: [{ kind: 'malformed', rate: 1, endpoints: ['/connectedcar/v4/user'] }] });
    const user = await sim.callV4('/user', token);
    expect(user.headers.get('x-sim-fault')).toBe('malformed');
    await expect(user.json()).rejects.toThrow(SyntaxError);
    const list = await sim.callV4('/user/vehicles', token);
    expect(list.headers.get('x-sim-fault')).toBeNull();
    expect(list.status).toBe(200);
    await list.body?.cancel();
  });
});
