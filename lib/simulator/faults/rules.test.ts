import { describe, expect, it } from 'vitest';
import { compileGlob, isFaultablePath, isVehicleSubResource, vehicleIdOf } from './paths';
import { FAULT_KINDS, parseFaultRules, parseFaultRulesJson } from './rules';

describe('fault rules document', () => {
  it('accepts every kind, with and without the optional fields', () => {
    for (const kind of FAULT_KINDS) {
      expect(parseFaultRules({ rules: [{ kind, rate: 0.5 }] }).ok, kind).toBe(true);
    }
    const full = {
      rules: [
        {
          kind: 'rate_limit',
          rate: 1,
          endpoints: ['/connectedcar/v4/user/vehicles/*/status', '/am/oauth2/**'],
          vehicles: ['0a1b2c'],
          params: { retryAfterS: 3600, latencyMs: 0, delayS: 0 },
        },
        { kind: 'timeout', rate: 0, params: { latencyMs: 120_000 } },
      ],
    };
    expect(parseFaultRules(full)).toEqual({ ok: true, rules: full });
    expect(parseFaultRules({ rules: [] })).toEqual({ ok: true, rules: { rules: [] } });
  });

  it.each([
    ['a rate above 1', { rules: [{ kind: 'reset', rate: 1.01 }] }, 'rules.0.rate'],
    ['a negative rate', { rules: [{ kind: 'reset', rate: -0.1 }] }, 'rules.0.rate'],
    ['no rate', { rules: [{ kind: 'reset' }] }, 'rules.0.rate'],
    ['an unknown kind', { rules: [{ kind: 'meteor', rate: 1 }] }, 'rules.0.kind'],
    ['an unknown rule field', { rules: [{ kind: 'reset', rate: 1, method: 'GET' }] }, 'method'],
    ['an unknown top-level field', { rules: [], enabled: true }, 'enabled'],
    ['an unknown param', { rules: [{ kind: 'latency', rate: 1, params: { jitterMs: 5 } }] }, 'jitterMs'],
    [
      'retryAfterS of 0',
      { rules: [{ kind: 'rate_limit', rate: 1, params: { retryAfterS: 0 } }] },
      'retryAfterS',
    ],
    [
      'retryAfterS above an hour',
      { rules: [{ kind: 'rate_limit', rate: 1, params: { retryAfterS: 3601 } }] },
      'retryAfterS',
    ],
    [
      'a fractional retryAfterS',
      { rules: [{ kind: 'rate_limit', rate: 1, params: { retryAfterS: 1.5 } }] },
      'retryAfterS',
    ],
    [
      'latencyMs above 2 minutes',
      { rules: [{ kind: 'latency', rate: 1, params: { latencyMs: 120_001 } }] },
      'latencyMs',
    ],
    [
      'a negative latencyMs',
      { rules: [{ kind: 'latency', rate: 1, params: { latencyMs: -1 } }] },
      'latencyMs',
    ],
    [
      'delayS above a week',
      { rules: [{ kind: 'webhook_delay', rate: 1, params: { delayS: 604_801 } }] },
      'delayS',
    ],
    [
      'a glob that is not a path',
      { rules: [{ kind: 'reset', rate: 1, endpoints: ['connectedcar/**'] }] },
      'rules.0.endpoints.0',
    ],
    [
      'a glob with a query',
      { rules: [{ kind: 'reset', rate: 1, endpoints: ['/user?x=1'] }] },
      'rules.0.endpoints.0',
    ],
    ['an empty endpoints list', { rules: [{ kind: 'reset', rate: 1, endpoints: [] }] }, 'rules.0.endpoints'],
    ['a numeric vehicle id', { rules: [{ kind: 'reset', rate: 1, vehicles: [42] }] }, 'rules.0.vehicles.0'],
    ['rules that are not a list', { rules: { kind: 'reset', rate: 1 } }, 'rules'],
    ['no rules at all', {}, 'rules'],
  ])('refuses %s with a message naming the field', (_case, document, field) => {
    const result = parseFaultRules(document);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(field);
  });

  it('reads JSON text and says when it is not JSON', () => {
    expect(parseFaultRulesJson('{"rules":[{"kind":"stale","rate":0.25}]}')).toEqual({
      ok: true,
      rules: { rules: [{ kind: 'stale', rate: 0.25 }] },
    });
    const bad = parseFaultRulesJson('{"rules": [');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/JSON/);
  });
});

describe('path globs', () => {
  it.each([
    ['/connectedcar/**', '/connectedcar', true],
    ['/connectedcar/**', '/connectedcar/v4/user/vehicles/abc/status', true],
    ['/connectedcar/**', '/connectedcarx/v4', false],
    ['/connectedcar/v4/user', '/connectedcar/v4/user', true],
    ['/connectedcar/v4/user', '/connectedcar/v4/user/vehicles', false],
    ['/connectedcar/v4/user/vehicles/*', '/connectedcar/v4/user/vehicles/abc', true],
    ['/connectedcar/v4/user/vehicles/*', '/connectedcar/v4/user/vehicles', false],
    ['/connectedcar/v4/user/vehicles/*', '/connectedcar/v4/user/vehicles/abc/status', false],
    ['/connectedcar/v4/user/vehicles/*/status', '/connectedcar/v4/user/vehicles/abc/status', true],
    ['/connectedcar/**/status', '/connectedcar/v4/user/vehicles/abc/status', true],
    ['/connectedcar/**/status', '/connectedcar/v4/user/vehicles/abc/trips', false],
    ['/*/am/oauth2/*', '/peugeot/am/oauth2/access_token', true],
    ['/*/am/oauth2/*', '/am/oauth2/access_token', false],
    ['/am/oauth2/token*', '/am/oauth2/token/revoke', false],
    ['/am/oauth2/acc*_token', '/am/oauth2/access_token', true],
    // Regular expression characters are literal.
    ['/connectedcar/v4/user.vehicles', '/connectedcar/v4/userXvehicles', false],
    ['/**', '/am/oauth2/userinfo', true],
  ])('%s against %s: %s', (glob, path, expected) => {
    expect(compileGlob(glob)(path)).toBe(expected);
  });
});

describe('which paths faults may touch', () => {
  it.each([
    ['/connectedcar/v4/user', true],
    ['/connectedcar/v4/user/vehicles/abc/status', true],
    ['/am/oauth2/access_token', true],
    ['/peugeot/am/oauth2/authorize', true],
    ['/sim/faults', false],
    ['/sim/owners', false],
    ['/sim/am/oauth2/access_token', false],
    ['/health', false],
    ['/elsewhere', false],
  ])('%s: %s', (path, expected) => {
    expect(isFaultablePath(path)).toBe(expected);
  });

  it('finds the vehicle id of vehicle paths only', () => {
    expect(vehicleIdOf('/connectedcar/v4/user/vehicles/abc')).toBe('abc');
    expect(vehicleIdOf('/connectedcar/v4/user/vehicles/a%20b/status')).toBe('a b');
    expect(vehicleIdOf('/connectedcar/v4/user/vehicles/%zz/status')).toBeNull();
    expect(vehicleIdOf('/connectedcar/v4/user/vehicles')).toBeNull();
    expect(vehicleIdOf('/connectedcar/v4/user')).toBeNull();
    expect(isVehicleSubResource('/connectedcar/v4/user/vehicles/abc/status')).toBe(true);
    expect(isVehicleSubResource('/connectedcar/v4/user/vehicles/abc')).toBe(false);
    expect(isVehicleSubResource('/connectedcar/v4/user/vehicles/abc/')).toBe(false);
  });
});
