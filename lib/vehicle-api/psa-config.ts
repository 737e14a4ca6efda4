import 'server-only';
import { z } from 'zod';
import type { Env } from '../env-schema';

// Where Kinetic finds PSA Connected Car: the API bases and, per brand, the identity provider and
// the application's credentials (vehicle-apis.md §2). Two sources, one shape:
//
// - the environment, for the real API: `PSA_<BRAND>_CLIENT_ID` / `_CLIENT_SECRET` (and optionally
//   `_IDP_URL`, `PSA_API_URL`, `PSA_V1_API_URL`); a brand without a client id is not offered;
// - the embedded simulator, when no real application is configured and its test endpoints are on
//   (`SIM_TEST_TOKENS`): `/sim/owners` publishes the brands' applications as a real portal would
//   show them to their developer.
//
// Browser-facing URLs (the authorize page) use `localhost`, server-side calls `127.0.0.1`: OAuth
// redirect URIs must be `localhost` (toolchain.md), and Node resolves `localhost` to ::1 first on
// some machines where the simulator listens on IPv4 only.

export const PSA_BRANDS = ['peugeot', 'citroen', 'ds', 'opel'] as const;
export type PsaBrand = (typeof PSA_BRANDS)[number];

export function isPsaBrand(value: string): value is PsaBrand {
  return (PSA_BRANDS as readonly string[]).includes(value);
}

/** Facts of each brand's identity provider (vehicle-apis.md §2.1). */
export const PSA_BRAND_FACTS: Record<
  PsaBrand,
  { label: string; appName: string; realm: string; idpHost: string }
> = {
  peugeot: {
    label: 'Peugeot',
    appName: 'MyPeugeot',
    realm: 'clientsB2CPeugeot',
    idpHost: 'idpcvs.peugeot.com',
  },
  citroen: {
    label: 'Citroën',
    appName: 'MyCitroën',
    realm: 'clientsB2CCitroen',
    idpHost: 'idpcvs.citroen.com',
  },
  ds: { label: 'DS', appName: 'MyDS', realm: 'clientsB2CDS', idpHost: 'idpcvs.driveds.com' },
  opel: { label: 'Opel', appName: 'MyOpel', realm: 'clientsB2COpel', idpHost: 'idpcvs.opel.com' },
};

/** `Peugeot`, or the brand as stored when it is not one of PSA's. */
export const psaBrandLabel = (brand: string) => (isPsaBrand(brand) ? PSA_BRAND_FACTS[brand].label : brand);
/** `MyPeugeot`: what owners call the account they sign in with. */
export const psaAppName = (brand: string) => (isPsaBrand(brand) ? PSA_BRAND_FACTS[brand].appName : brand);

export const PSA_V4_API_URL = 'https://api.groupe-psa.com/connectedcar/v4';
export const PSA_V1_API_URL = 'https://api.mpsa.com/api/dev/1.0';

/** The scopes Kinetic asks for: the identity, and read access to what it charts (§2.3). */
export const PSA_SCOPES = [
  'openid',
  'profile',
  'data:telemetry',
  'data:position',
  'data:trip',
  'data:alert',
] as const;

export type PsaApp = {
  brand: PsaBrand;
  /** `clientsB2CPeugeot`, … (`x-introspect-realm`, and `?realm=` on refresh and revoke). */
  realm: string;
  clientId: string;
  clientSecret: string;
  /** The `iss` of the IdP's id_tokens. */
  issuer: string;
  /** Where the owner's browser goes to sign in. */
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  userinfoUrl: string;
};

export type PsaConfig = {
  source: 'environment' | 'simulator';
  /** `…/connectedcar/v4`. */
  apiBaseUrl: string;
  /** The v1 API's base (its spec's `/dev/connectedcar/v1`, or PSA's public `…/api/dev/1.0`). */
  v1BaseUrl: string;
  apps: PsaApp[];
};

function appFromIdp(
  brand: PsaBrand,
  credentials: { clientId: string; clientSecret: string },
  idp: { browserBase: string; serverBase: string; issuer: string },
): PsaApp {
  return {
    brand,
    realm: PSA_BRAND_FACTS[brand].realm,
    ...credentials,
    issuer: idp.issuer,
    authorizeUrl: `${idp.browserBase}/authorize`,
    tokenUrl: `${idp.serverBase}/access_token`,
    revokeUrl: `${idp.serverBase}/token/revoke`,
    userinfoUrl: `${idp.serverBase}/userinfo`,
  };
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** The real API's configuration from the environment, or null when no brand is configured. */
export function psaConfigFromEnv(env: Env): PsaConfig | null {
  const apps: PsaApp[] = [];
  for (const brand of PSA_BRANDS) {
    const key = brand.toUpperCase() as Uppercase<PsaBrand>;
    const clientId = env[`PSA_${key}_CLIENT_ID`];
    if (!clientId) continue;
    const base = trimSlash(
      env[`PSA_${key}_IDP_URL`] ?? `https://${PSA_BRAND_FACTS[brand].idpHost}/am/oauth2`,
    );
    apps.push(
      appFromIdp(
        brand,
        { clientId, clientSecret: env[`PSA_${key}_CLIENT_SECRET`] ?? '' },
        { browserBase: base, serverBase: base, issuer: base },
      ),
    );
  }
  if (apps.length === 0) return null;
  return {
    source: 'environment',
    apiBaseUrl: trimSlash(env.PSA_API_URL ?? PSA_V4_API_URL),
    v1BaseUrl: trimSlash(env.PSA_V1_API_URL ?? PSA_V1_API_URL),
    apps,
  };
}

/** Origins of the sign-in pages owners are sent to (for the Content-Security-Policy). */
export function identityProviderOrigins(env: Env): string[] {
  const configured = psaConfigFromEnv(env);
  if (configured) return [...new Set(configured.apps.map((app) => new URL(app.authorizeUrl).origin))];
  return env.SIM_TEST_TOKENS ? [`http://localhost:${env.SIM_PORT}`] : [];
}

const simClientsSchema = z.object({
  clients: z.array(
    z.object({ brand: z.string(), clientId: z.string().min(1), clientSecret: z.string().min(1) }),
  ),
});

/** The embedded simulator's configuration, read from its `/sim/owners` test endpoint. */
export async function psaConfigFromSimulator(
  simPort: number,
  fetchImpl: typeof fetch = fetch,
): Promise<PsaConfig> {
  const server = `http://127.0.0.1:${simPort}`;
  const browser = `http://localhost:${simPort}`;
  // Short: the sign-in page waits for this when the simulator has not answered yet.
  const response = await fetchImpl(`${server}/sim/owners?limit=1`, { signal: AbortSignal.timeout(3_000) });
  if (!response.ok) throw new Error(`the simulator's /sim/owners answered ${response.status}`);
  const { clients } = simClientsSchema.parse(await response.json());
  const apps = clients.flatMap((client) => {
    const brand = client.brand;
    if (!isPsaBrand(brand)) return [];
    // One IdP per brand host, as the real ones are; the simulator serves them under /{brand}.
    return [
      appFromIdp(brand, client, {
        browserBase: `${browser}/${brand}/am/oauth2`,
        serverBase: `${server}/${brand}/am/oauth2`,
        // The simulator signs as the real IdP does: its id_tokens name the brand's real host.
        issuer: `https://${PSA_BRAND_FACTS[brand].idpHost}/am/oauth2`,
      }),
    ];
  });
  return {
    source: 'simulator',
    apiBaseUrl: `${server}/connectedcar/v4`,
    v1BaseUrl: `${server}/dev/connectedcar/v1`,
    apps,
  };
}

const RETRY_AFTER_FAILURE_MS = 5_000;
let cached: { config: Promise<PsaConfig | null>; at: number; failed: boolean } | undefined;

/**
 * The PSA configuration of this installation: the environment's, else the embedded simulator's
 * (only with its test endpoints on), else null. Cached per process; a simulator that does not
 * answer yet is asked again a few seconds later rather than remembered as absent.
 */
export function loadPsaConfig(env: Env): Promise<PsaConfig | null> {
  const fromEnv = psaConfigFromEnv(env);
  if (fromEnv) return Promise.resolve(fromEnv);
  if (!env.SIM_TEST_TOKENS) return Promise.resolve(null);
  if (cached && !(cached.failed && Date.now() - cached.at > RETRY_AFTER_FAILURE_MS)) return cached.config;
  const entry = { at: Date.now(), failed: false, config: Promise.resolve<PsaConfig | null>(null) };
  entry.config = psaConfigFromSimulator(env.SIM_PORT).catch((error: unknown) => {
    entry.failed = true;
    console.error(
      `[psa] the simulator's configuration is unavailable: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  });
  cached = entry;
  return entry.config;
}

export function psaAppFor(config: PsaConfig | null, brand: string): PsaApp | undefined {
  return config?.apps.find((app) => app.brand === brand);
}
