import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseEnv, realProviderConfigured } from '../env-schema';
import { SimClock } from '../simulator/clock';
import { createSimContext } from '../simulator/context';
import { createSimulatorServer } from '../simulator/server';
import { identityProviderOrigins, psaConfigFromEnv, psaConfigFromSimulator } from './psa-config';

const env = (source: Record<string, string>) => parseEnv(source, '/srv/kinetic');

describe('psaConfigFromEnv', () => {
  it('is null without any client id, and then the simulator may serve', () => {
    expect(psaConfigFromEnv(env({}))).toBeNull();
    expect(realProviderConfigured({})).toBe(false);
    expect(identityProviderOrigins(env({ SIM_TEST_TOKENS: '1', SIM_PORT: '4110' }))).toEqual([
      'http://localhost:4110',
    ]);
    expect(identityProviderOrigins(env({}))).toEqual([]);
  });

  it("offers exactly the configured brands, on PSA's public hosts by default", () => {
    const source = {
      PSA_PEUGEOT_CLIENT_ID: 'id-p',
      PSA_PEUGEOT_CLIENT_SECRET: 'secret-p',
      PSA_DS_CLIENT_ID: 'id-ds',
    };
    expect(realProviderConfigured(source)).toBe(true);
    const config = psaConfigFromEnv(env(source));
    expect(config?.source).toBe('environment');
    expect(config?.apiBaseUrl).toBe('https://api.groupe-psa.com/connectedcar/v4');
    expect(config?.apps.map((app) => app.brand)).toEqual(['peugeot', 'ds']);
    const peugeot = config?.apps[0];
    expect(peugeot).toMatchObject({
      realm: 'clientsB2CPeugeot',
      clientId: 'id-p',
      clientSecret: 'secret-p',
      issuer: 'https://idpcvs.peugeot.com/am/oauth2',
      authorizeUrl: 'https://idpcvs.peugeot.com/am/oauth2/authorize',
      tokenUrl: 'https://idpcvs.peugeot.com/am/oauth2/access_token',
      revokeUrl: 'https://idpcvs.peugeot.com/am/oauth2/token/revoke',
    });
    // vehicle-apis.md §2.1: DS signs in at driveds.com.
    expect(config?.apps[1]?.authorizeUrl).toBe('https://idpcvs.driveds.com/am/oauth2/authorize');
    expect(identityProviderOrigins(env(source))).toEqual([
      'https://idpcvs.peugeot.com',
      'https://idpcvs.driveds.com',
    ]);
  });

  it('takes overridden hosts without a trailing slash', () => {
    const config = psaConfigFromEnv(
      env({
        PSA_OPEL_CLIENT_ID: 'id-o',
        PSA_OPEL_IDP_URL: 'https://idp.example/am/oauth2/',
        PSA_API_URL: 'https://api.example/connectedcar/v4/',
      }),
    );
    expect(config?.apiBaseUrl).toBe('https://api.example/connectedcar/v4');
    expect(config?.apps[0]?.tokenUrl).toBe('https://idp.example/am/oauth2/access_token');
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => env({ PSA_API_URL: 'ftp://api.example' })).toThrow(/PSA_API_URL/);
  });
});

describe('psaConfigFromSimulator', () => {
  it('reads the brand applications from /sim/owners, browser URLs on localhost', async () => {
    const clock = new SimClock({ now: Date.parse('2026-03-01T08:00:00Z'), frozen: true });
    const ctx = createSimContext({ seed: 'psa-config', peers: 2, clock, testEndpoints: true });
    const server = createSimulatorServer(ctx);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const config = await psaConfigFromSimulator(port);
      expect(config.source).toBe('simulator');
      expect(config.apps.map((app) => app.brand)).toEqual(['peugeot', 'citroen', 'ds', 'opel']);
      const peugeot = config.apps[0];
      const client = ctx.world.clients[0];
      expect(peugeot?.clientId).toBe(client?.clientId);
      expect(peugeot?.clientSecret).toBe(client?.clientSecret);
      expect(peugeot?.authorizeUrl).toBe(`http://localhost:${port}/peugeot/am/oauth2/authorize`);
      expect(peugeot?.tokenUrl).toBe(`http://127.0.0.1:${port}/peugeot/am/oauth2/access_token`);
      expect(config.v1BaseUrl).toBe(`http://127.0.0.1:${port}/dev/connectedcar/v1`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
