import { describe, expect, it } from 'vitest';
import type { FaultRule } from './rules';
import { type FaultRequest, FaultSwitchboard } from './switchboard';

const LIST: FaultRequest = { method: 'GET', path: '/connectedcar/v4/user/vehicles', vehicleId: null };
const carRequest = (vehicleId: string, rest = ''): FaultRequest => ({
  method: 'GET',
  path: `/connectedcar/v4/user/vehicles/${vehicleId}${rest}`,
  vehicleId,
});

/** Which of `count` identical requests fire (true) under `rules`. */
function firings(board: FaultSwitchboard, count: number, request: FaultRequest = LIST): boolean[] {
  return Array.from({ length: count }, () => board.pick(request) !== null);
}

const withRules = (rules: FaultRule[], seed?: string) =>
  new FaultSwitchboard({ rules }, seed === undefined ? {} : { seed });

describe('FaultSwitchboard', () => {
  it('never fires at rate 0 and always at rate 1', () => {
    expect(firings(withRules([{ kind: 'server_error', rate: 0 }]), 1000)).not.toContain(true);
    expect(firings(withRules([{ kind: 'server_error', rate: 1 }]), 1000)).not.toContain(false);
  });

  it('fires about half the time at rate 0.5, reproducibly for a seed', () => {
    const rules: FaultRule[] = [{ kind: 'server_error', rate: 0.5 }];
    const first = firings(withRules(rules, 'seed-a'), 200);
    const fired = first.filter(Boolean).length;
    // Binomial(200, 0.5): mean 100, sd ≈ 7; 60–140 is over five sd either side.
    expect(fired).toBeGreaterThanOrEqual(60);
    expect(fired).toBeLessThanOrEqual(140);

    expect(firings(withRules(rules, 'seed-a'), 200)).toEqual(first);
    expect(firings(withRules(rules, 'seed-b'), 200)).not.toEqual(first);
  });

  it('restarts the request count when the rules are set, so a run can be replayed', () => {
    const board = withRules([]);
    const rules: FaultRule[] = [{ kind: 'reset', rate: 0.3 }];
    board.set({ rules });
    const first = firings(board, 100);
    board.set({ rules });
    expect(firings(board, 100)).toEqual(first);
  });

  it('takes the first rule that fires, and decides 500 or 503 from its own draw', () => {
    const board = withRules([
      { kind: 'latency', rate: 0 },
      { kind: 'server_error', rate: 1 },
      { kind: 'reset', rate: 1 },
    ]);
    const decisions = Array.from({ length: 50 }, () => board.pick(LIST));
    expect(new Set(decisions.map((decision) => decision?.kind))).toEqual(new Set(['server_error']));
    const rolls = decisions.map((decision) => decision?.roll ?? -1);
    expect(rolls.every((roll) => roll >= 0 && roll < 1)).toBe(true);
    expect(rolls.some((roll) => roll < 0.5)).toBe(true);
    expect(rolls.some((roll) => roll >= 0.5)).toBe(true);
  });

  it('passes the rule’s params on', () => {
    const board = withRules([{ kind: 'rate_limit', rate: 1, params: { retryAfterS: 7 } }]);
    expect(board.pick(LIST)).toMatchObject({ kind: 'rate_limit', params: { retryAfterS: 7 } });
  });

  it('matches endpoint globs against the path', () => {
    const board = withRules([{ kind: 'reset', rate: 1, endpoints: ['/connectedcar/v4/user/vehicles/*'] }]);
    expect(board.pick(carRequest('abc'))?.kind).toBe('reset');
    expect(board.pick(LIST)).toBeNull();
    expect(board.pick(carRequest('abc', '/status'))).toBeNull();
  });

  it('leaves other vehicles alone when a rule names vehicles', () => {
    const board = withRules([{ kind: 'server_error', rate: 1, vehicles: ['car-a'] }]);
    expect(board.pick(carRequest('car-a'))?.kind).toBe('server_error');
    expect(board.pick(carRequest('car-a', '/status'))?.kind).toBe('server_error');
    expect(board.pick(carRequest('car-b'))).toBeNull();
    expect(board.pick(carRequest('car-b', '/status'))).toBeNull();
    // A request about no vehicle in particular is no listed vehicle's either.
    expect(board.pick(LIST)).toBeNull();
  });

  it('never faults /sim/* or /health', () => {
    const board = withRules([{ kind: 'server_error', rate: 1, endpoints: ['/**'] }]);
    for (const path of ['/sim/faults', '/sim/owners', '/sim/clock', '/health']) {
      expect(board.pick({ method: 'GET', path, vehicleId: null }), path).toBeNull();
    }
    expect(board.pick({ method: 'POST', path: '/am/oauth2/access_token', vehicleId: null })).not.toBeNull();
  });

  it('stores webhook kinds but never fires them on HTTP', () => {
    const rules: FaultRule[] = [
      { kind: 'webhook_duplicate', rate: 1 },
      { kind: 'webhook_reorder', rate: 1 },
      { kind: 'webhook_delay', rate: 1, params: { delayS: 30 } },
    ];
    const board = withRules(rules);
    expect(board.get()).toEqual({ rules });
    expect(firings(board, 20)).not.toContain(true);
  });

  it('fires token faults only under /connectedcar/v4, and silent only on vehicle sub-resources', () => {
    const tokens = withRules([{ kind: 'token_expired', rate: 1 }]);
    expect(tokens.pick(LIST)?.kind).toBe('token_expired');
    expect(tokens.pick({ method: 'POST', path: '/am/oauth2/access_token', vehicleId: null })).toBeNull();

    const silent = withRules([
      { kind: 'silent', rate: 1 },
      { kind: 'stale', rate: 1 },
    ]);
    expect(silent.pick(carRequest('abc', '/status'))?.kind).toBe('silent');
    // Where silent does not apply, the next rule gets its chance.
    expect(silent.pick(carRequest('abc'))?.kind).toBe('stale');
    expect(silent.pick(LIST)?.kind).toBe('stale');
  });

  it('tallies the requests it saw and the faults it handed out, per kind, since the last set', () => {
    const board = withRules([
      { kind: 'server_error', rate: 0.5 },
      { kind: 'reset', rate: 0.5 },
    ]);
    const decisions = Array.from({ length: 400 }, () => board.pick(LIST));
    board.pick({ method: 'GET', path: '/sim/clock', vehicleId: null });
    const fired = (kind: string) => decisions.filter((decision) => decision?.kind === kind).length;
    const tally = board.tally();
    // Only the vehicle cloud's requests count: /sim/* is never faulted.
    expect(tally.requests).toBe(400);
    expect(tally.faults).toEqual({ server_error: fired('server_error'), reset: fired('reset') });
    // About 200 and 100: both kinds were handed out.
    expect(fired('server_error')).toBeGreaterThan(0);
    expect(fired('reset')).toBeGreaterThan(0);
    expect(tally.messages).toBe(0);
    expect(tally.deliveryFaults).toEqual({});

    // A copy: changing it changes no count.
    tally.faults.reset = 0;
    expect(board.tally().faults.reset).toBe(fired('reset'));

    board.set({ rules: [{ kind: 'webhook_duplicate', rate: 1 }] });
    expect(board.tally()).toEqual({ requests: 0, faults: {}, messages: 0, deliveryFaults: {} });
    board.pickDelivery({ path: '/api/webhooks/psa', vehicleId: 'car-a' });
    board.pickDelivery({ path: '/api/webhooks/psa', vehicleId: 'car-b' });
    expect(board.tally()).toMatchObject({ messages: 2, deliveryFaults: { webhook_duplicate: 2 } });
  });

  it('replaces every rule at once; an invalid document changes nothing', () => {
    const board = withRules([{ kind: 'reset', rate: 1 }]);
    board.set({ rules: [{ kind: 'stale', rate: 1 }] });
    expect(board.get()).toEqual({ rules: [{ kind: 'stale', rate: 1 }] });
    expect(() => board.set({ rules: [{ kind: 'reset', rate: 2 }] })).toThrow();
    expect(board.get()).toEqual({ rules: [{ kind: 'stale', rate: 1 }] });
    expect(board.pick(LIST)?.kind).toBe('stale');
  });

  it('hands out copies: changing what get() or set() returned changes no rule', () => {
    const board = withRules([]);
    const document = { rules: [{ kind: 'reset' as const, rate: 1 }] };
    const answered = board.set(document);
    document.rules[0] = { kind: 'reset', rate: 0 };
    answered.rules.length = 0;
    board.get().rules.length = 0;
    expect(board.get()).toEqual({ rules: [{ kind: 'reset', rate: 1 }] });
  });
});
