import path from 'node:path';
import { z } from 'zod';
import { parseFaultRulesJson } from './simulator/faults/rules';

// Kept free of `server-only` so that the supervisor and CLI can validate the same schema before
// anything else starts; `lib/env.ts` is the one module that applies it to `process.env`.

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const booleanFlag = z.preprocess(
  emptyAsUndefined,
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
      error: 'expected one of 1, 0, true, false, yes, no, on, off',
    })
    .optional()
    .transform((value) => value === '1' || value === 'true' || value === 'yes' || value === 'on'),
);

const databaseUrl = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .refine((value) => /^(postgres|postgresql):\/\/./.test(value) || /^file:./.test(value), {
      message: 'expected a postgres:// URL or a file: path to an SQLite database',
    })
    .optional(),
);

/** Exactly 32 bytes in canonical base64 (Node's decoder would silently skip stray characters). */
export function isBase64Key(value: string): boolean {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 32 && bytes.toString('base64') === value;
}

const base64Key = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .refine(isBase64Key, {
      message: 'expected 32 bytes encoded in base64 (openssl rand -base64 32)',
    })
    .optional(),
);

const optionalUrl = z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional());
const optionalText = z.preprocess(emptyAsUndefined, z.string().min(1).max(500).optional());

/** `PSA_<BRAND>_CLIENT_ID`, `_CLIENT_SECRET` and `_IDP_URL` (the brand's `…/am/oauth2` base). */
function psaBrandVariables<B extends string>(brand: B) {
  return {
    [`PSA_${brand}_CLIENT_ID`]: optionalText,
    [`PSA_${brand}_CLIENT_SECRET`]: optionalText,
    [`PSA_${brand}_IDP_URL`]: optionalUrl,
  } as Record<`PSA_${B}_CLIENT_ID` | `PSA_${B}_CLIENT_SECRET` | `PSA_${B}_IDP_URL`, typeof optionalText>;
}

export const PSA_ENV_BRANDS = ['PEUGEOT', 'CITROEN', 'DS', 'OPEL'] as const;

/** Whether a real PSA application is configured (which turns the simulator and the demo off). */
export function realProviderConfigured(source: Record<string, string | undefined>): boolean {
  return PSA_ENV_BRANDS.some((brand) => (source[`PSA_${brand}_CLIENT_ID`] ?? '') !== '');
}

export const envSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyAsUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
  KINETIC_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('data')),
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, { message: 'must be at least 32 characters (openssl rand -base64 32)' }).optional(),
  ),
  AUTH_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  TOKEN_ENCRYPTION_KEY: base64Key,
  DEMO: booleanFlag,
  // Drop raw samples older than this many days (rollups, trips and events stay); off when unset.
  KINETIC_RAW_RETENTION_DAYS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(36_500).optional(),
  ),
  // Units an owner's request budget gives back a second (docs/api.md › Request budget; the burst
  // is 30 seconds of it). For installations whose owners script the API, and for load tests that
  // measure the server rather than the budget.
  OWNER_BUDGET_PER_S: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100_000).optional()),
  // Test-only switch: lets the suite prove that pages and routes are protected by the data layer
  // even when the proxy's optimistic redirect is off.
  KINETIC_PROXY_AUTH: z.preprocess(emptyAsUndefined, z.enum(['on', 'off']).default('on')),
  // The simulated vehicle cloud (its own process; interfaces.md › Simulator).
  SIM_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(4010)),
  SIM_SEED: z.preprocess(emptyAsUndefined, z.string().max(200).default('kinetic')),
  SIM_PEERS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(100_000).default(100)),
  // Days of history the vehicle cloud holds behind its clock (a sliding retention window).
  SIM_BACKFILL_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(3650).default(30)),
  SIM_TEST_TOKENS: booleanFlag,
  // How many of the simulated peers the embedded demo links (default: all SIM_PEERS). Tests leave
  // some unlinked, as owners who have not found Kinetic yet, to sign in and connect with.
  DEMO_LINKED_PEERS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(100_000).optional()),
  // A real PSA Connected Car configuration (docs/configuration in the README): any brand's client
  // id turns the embedded simulator and the demo off. URLs default to PSA's public hosts.
  PSA_API_URL: optionalUrl,
  PSA_V1_API_URL: optionalUrl,
  ...psaBrandVariables('PEUGEOT'),
  ...psaBrandVariables('CITROEN'),
  ...psaBrandVariables('DS'),
  ...psaBrandVariables('OPEL'),
  // Upstream faults from the start: the rules document of /sim/faults, as JSON.
  SIM_FAULTS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return undefined;
        const parsed = parseFaultRulesJson(text);
        if (parsed.ok) return parsed.rules;
        ctx.issues.push({ code: 'custom', message: parsed.message, input: text });
        return z.NEVER;
      }),
  ),
});

/** The simulated peers the embedded demo links and syncs. */
export function demoLinkedPeers(env: { SIM_PEERS: number; DEMO_LINKED_PEERS?: number | undefined }): number {
  return Math.min(env.SIM_PEERS, env.DEMO_LINKED_PEERS ?? env.SIM_PEERS);
}

export type Env = z.infer<typeof envSchema> & { dataDir: string; databaseEngine: 'sqlite' | 'postgres' };

export class EnvError extends Error {
  readonly variables: string[];

  constructor(issues: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${issues.map((issue) => `  ${issue.variable}: ${issue.message}`).join('\n')}`,
    );
    this.name = 'EnvError';
    this.variables = issues.map((issue) => issue.variable);
  }
}

export function parseEnv(source: Record<string, string | undefined>, cwd: string): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '?'),
        message: issue.message,
      })),
    );
  }
  const parsed = result.data;
  return {
    ...parsed,
    dataDir: path.resolve(cwd, parsed.KINETIC_DATA_DIR),
    databaseEngine: parsed.DATABASE_URL && !parsed.DATABASE_URL.startsWith('file:') ? 'postgres' : 'sqlite',
  };
}
