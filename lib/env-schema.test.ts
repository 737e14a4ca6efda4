import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env-schema';

const CWD = '/srv/kinetic';
const KEY = Buffer.alloc(32, 7).toString('base64');

function envError(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source, CWD);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(source)}`);
}

describe('parseEnv', () => {
  it('applies the defaults when nothing is set', () => {
    const env = parseEnv({}, CWD);
    // toEqual: the optional variables are absent or undefined, and there is nothing else.
    expect(env).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      KINETIC_DATA_DIR: 'data',
      DATABASE_URL: undefined,
      AUTH_SECRET: undefined,
      AUTH_URL: undefined,
      TOKEN_ENCRYPTION_KEY: undefined,
      DEMO: false,
      KINETIC_PROXY_AUTH: 'on',
      SIM_PORT: 4010,
      SIM_SEED: 'kinetic',
      SIM_PEERS: 100,
      SIM_BACKFILL_DAYS: 30,
      SIM_TEST_TOKENS: false,
      SIM_FAULTS: undefined,
      dataDir: path.join(CWD, 'data'),
      databaseEngine: 'sqlite',
    });
  });

  it('treats empty strings as unset', () => {
    const env = parseEnv(
      {
        NODE_ENV: '',
        PORT: '',
        KINETIC_DATA_DIR: '',
        DATABASE_URL: '',
        AUTH_SECRET: '',
        AUTH_URL: '',
        TOKEN_ENCRYPTION_KEY: '',
        DEMO: '',
        KINETIC_PROXY_AUTH: '',
      },
      CWD,
    );
    expect(env).toEqual(parseEnv({}, CWD));
  });

  it('reads valid values', () => {
    const env = parseEnv(
      {
        NODE_ENV: 'production',
        PORT: '8080',
        AUTH_SECRET: 's'.repeat(32),
        AUTH_URL: 'https://kinetic.example/',
        TOKEN_ENCRYPTION_KEY: KEY,
        DEMO: 'yes',
      },
      CWD,
    );
    expect(env).toMatchObject({
      NODE_ENV: 'production',
      PORT: 8080,
      AUTH_SECRET: 's'.repeat(32),
      AUTH_URL: 'https://kinetic.example/',
      TOKEN_ENCRYPTION_KEY: KEY,
      DEMO: true,
    });
  });

  it.each([
    ['1', true],
    ['true', true],
    ['on', true],
    ['yes', true],
    ['0', false],
    ['false', false],
    ['off', false],
    ['no', false],
  ])('DEMO=%s is %s', (value, expected) => {
    expect(parseEnv({ DEMO: value }, CWD).DEMO).toBe(expected);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '0'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://db.example/kinetic'],
    ['DATABASE_URL', 'postgres://'],
    ['DATABASE_URL', '/var/lib/kinetic.db'],
    ['AUTH_SECRET', 'too-short-a-secret'],
    ['AUTH_URL', 'not a url'],
    ['TOKEN_ENCRYPTION_KEY', Buffer.alloc(16).toString('base64')],
    ['TOKEN_ENCRYPTION_KEY', 'not base64 at all'],
    ['TOKEN_ENCRYPTION_KEY', `${'a'.repeat(43)}#`],
    ['DEMO', 'maybe'],
    ['NODE_ENV', 'staging'],
    ['KINETIC_PROXY_AUTH', 'disabled'],
    ['SIM_PORT', '70000'],
    ['SIM_PEERS', '100001'],
    ['SIM_PEERS', '-1'],
    ['SIM_BACKFILL_DAYS', '3651'],
    ['SIM_BACKFILL_DAYS', 'a month'],
    ['SIM_TEST_TOKENS', 'sometimes'],
  ])('refuses %s=%s with an EnvError naming the variable', (variable, value) => {
    const error = envError({ [variable]: value });
    expect(error.name).toBe('EnvError');
    expect(error.variables).toEqual([variable]);
    expect(error.message).toMatch(new RegExp(`^Invalid configuration:\\n  ${variable}: .+`));
  });

  it('explains what a good value looks like', () => {
    expect(envError({ AUTH_SECRET: 'short' }).message).toContain('at least 32 characters');
    expect(envError({ TOKEN_ENCRYPTION_KEY: 'abc' }).message).toContain('32 bytes encoded in base64');
    expect(envError({ DATABASE_URL: 'mysql://x' }).message).toContain('postgres:// URL');
    expect(envError({ DEMO: 'maybe' }).message).toContain('expected one of 1, 0, true, false');
  });

  it('names every bad variable at once', () => {
    const error = envError({ PORT: 'x', DEMO: 'maybe', AUTH_SECRET: 'short' });
    expect([...error.variables].sort()).toEqual(['AUTH_SECRET', 'DEMO', 'PORT']);
    for (const variable of ['PORT', 'DEMO', 'AUTH_SECRET'])
      expect(error.message).toContain(`  ${variable}: `);
  });

  it.each([
    [undefined, 'sqlite'],
    ['file:./local.db', 'sqlite'],
    ['file:/var/lib/kinetic/kinetic.db', 'sqlite'],
    ['postgres://kinetic@db.example:5432/kinetic', 'postgres'],
    ['postgresql://kinetic@db.example/kinetic?sslmode=require', 'postgres'],
  ])('DATABASE_URL=%s runs on %s', (url, engine) => {
    expect(parseEnv({ DATABASE_URL: url }, CWD).databaseEngine).toBe(engine);
  });

  it('resolves the data folder against the working directory', () => {
    expect(parseEnv({}, CWD).dataDir).toBe('/srv/kinetic/data');
    expect(parseEnv({ KINETIC_DATA_DIR: 'var/state' }, CWD).dataDir).toBe('/srv/kinetic/var/state');
    expect(parseEnv({ KINETIC_DATA_DIR: '../shared' }, CWD).dataDir).toBe('/srv/shared');
    expect(parseEnv({ KINETIC_DATA_DIR: '/opt/kinetic' }, CWD).dataDir).toBe('/opt/kinetic');
    expect(parseEnv({}, '/elsewhere').dataDir).toBe('/elsewhere/data');
  });

  it('reads SIM_FAULTS as a fault rules document', () => {
    const rules = {
      rules: [
        { kind: 'rate_limit', rate: 0.1, endpoints: ['/connectedcar/**'], params: { retryAfterS: 120 } },
        { kind: 'silent', rate: 1, vehicles: ['abc123'] },
      ],
    };
    expect(parseEnv({ SIM_FAULTS: JSON.stringify(rules) }, CWD).SIM_FAULTS).toEqual(rules);
    expect(parseEnv({ SIM_FAULTS: '{"rules":[]}' }, CWD).SIM_FAULTS).toEqual({ rules: [] });
    expect(parseEnv({ SIM_FAULTS: '' }, CWD).SIM_FAULTS).toBeUndefined();
  });

  it.each([
    ['not JSON', '{rules:', 'expected a JSON rules document'],
    ['a rate above 1', '{"rules":[{"kind":"reset","rate":1.5}]}', 'rules.0.rate'],
    ['an unknown kind', '{"rules":[{"kind":"meteor","rate":1}]}', 'rules.0.kind'],
    ['an unknown field', '{"rules":[],"extra":1}', 'extra'],
    ['no rules list', '[]', 'body'],
  ])('refuses SIM_FAULTS with %s, naming SIM_FAULTS', (_case, value, detail) => {
    const error = envError({ SIM_FAULTS: value });
    expect(error.variables).toEqual(['SIM_FAULTS']);
    expect(error.message).toMatch(/^Invalid configuration:\n {2}SIM_FAULTS: .+/);
    expect(error.message).toContain(detail);
  });

  it('ignores variables it does not know', () => {
    expect(() => parseEnv({ PATH: '/usr/bin', SOMETHING_ELSE: '1' }, CWD)).not.toThrow();
  });
});
