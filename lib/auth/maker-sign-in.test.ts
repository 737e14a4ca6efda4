import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Account } from 'next-auth';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createTokenCipher } from '../crypto/token-cipher';
import { createUser } from '../db/queries/users';
import type { UserRow } from '../db/schema';
import { type PsaConfig, psaConfigFromSimulator } from '../vehicle-api/psa-config';
import { startTestCloud, type TestCloud } from '../worker/cloud-for-tests';
import { type SimOwner, simulatorTestApi } from '../worker/simulated-owners';
import { hashPassword } from './password';

// docs/security-tests.md AC-12: signing in with a car maker never opens an account because its
// e-mail address matches, nor one whose address merely looks like it. Local accounts are made at
// the maker profile's address and at look-alikes of it (letter case, a full-width "＠", Cyrillic
// letters, a plus tag, a trailing dot); then the maker sign-in runs exactly as Auth.js's `signIn`
// callback runs it, with a real grant from the simulated IdP, whatever address the profile claims.
// A separate Kinetic account results (bound to the maker identity), and every local account is
// left as it was: same row, no session, no car account. Only the request headers and the database
// handle stand in for Next's request context.

const { currentDb } = vi.hoisted(() => ({ currentDb: { db: null as unknown } }));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'user-agent': 'maker-sign-in test', 'x-forwarded-for': '198.51.100.7' }),
}));
vi.mock('../db', () => ({ getDb: () => currentDb.db }));

const { completeMakerSignIn, makerProviders } = await import('./maker-sign-in');
const { makerEmail, MAKER_EMAIL_DOMAIN } = await import('./maker-users');

const cipher = createTokenCipher(randomBytes(32));
let cloud: TestCloud;
let config: PsaConfig;
let owner: SimOwner;

beforeAll(async () => {
  cloud = await startTestCloud({ peers: 2, seed: 'maker-sign-in' });
  config = await psaConfigFromSimulator(Number(new URL(cloud.origin).port));
  const { owners } = await simulatorTestApi(cloud.origin).owners(0, 5);
  const found = owners.find((candidate) => candidate.brand === 'peugeot') ?? owners[0];
  if (!found) throw new Error('the simulator has no owner');
  owner = found;
});

afterAll(async () => {
  await cloud.close();
});

/** The address and look-alikes a careless normaliser (or a homoglyph bug) could take for it. */
function lookAlikes(email: string): Record<string, string> {
  const [local = '', domain = ''] = email.split('@');
  return {
    'the same address': email,
    'another letter case': `${local.toUpperCase()}@${domain.toUpperCase()}`,
    'a full-width at sign': `${local}\uFF20${domain}`,
    'Cyrillic look-alike letters': email
      .replaceAll('a', '\u0430')
      .replaceAll('e', '\u0435')
      .replaceAll('o', '\u043E'),
    'a plus tag': `${local}+kinetic@${domain}`,
    'a trailing dot': `${email}.`,
    'spaces around': `  ${email} `,
  };
}

/** A grant from the simulated IdP, shaped as Auth.js hands it to the `signIn` callback. */
async function makerAccount(): Promise<Account> {
  const issued = await simulatorTestApi(cloud.origin).tokens(owner);
  const subject = JSON.parse(Buffer.from(issued.id_token?.split('.')[1] ?? '', 'base64url').toString()).sub;
  return {
    type: 'oauth',
    provider: `psa-${owner.brand}`,
    providerAccountId: String(subject),
    access_token: issued.access_token,
    refresh_token: issued.refresh_token,
    expires_at: Math.floor(Date.now() / 1000) + issued.expires_in,
    scope: issued.scope,
    token_type: 'bearer',
  };
}

describe.each(ENGINES)('maker sign-in and local accounts on %s', (engine) => {
  const database = useTestDatabase(engine);
  beforeEach(() => {
    currentDb.db = database().db;
  });

  async function snapshot(ids: string[]) {
    const { db } = database();
    return {
      users: await db.selectFrom('users').selectAll().where('id', 'in', ids).orderBy('id').execute(),
      sessions: await db.selectFrom('sessions').select('id').where('user_id', 'in', ids).execute(),
      carAccounts: await db.selectFrom('car_accounts').select('id').where('user_id', 'in', ids).execute(),
      vehicles: await db.selectFrom('vehicles').select('id').where('user_id', 'in', ids).execute(),
    };
  }

  it('opens a separate account, never a local one at the same or a look-alike address', async () => {
    const { db } = database();
    const passwordHash = await hashPassword('the local owner’s own password');
    const variants = lookAlikes(owner.email);
    const locals: UserRow[] = [];
    for (const address of new Set(Object.values(variants).map((value) => value.trim().toLowerCase()))) {
      locals.push(await createUser(db, { email: address, name: 'Local owner', passwordHash }));
    }
    const localIds = locals.map((user) => user.id);
    const before = await snapshot(localIds);
    expect(before.sessions).toEqual([]);

    const account = await makerAccount();
    const signedInAs = new Set<string>();
    for (const [label, claimed] of Object.entries(variants)) {
      const user = { id: 'from-the-provider', email: claimed, name: 'Maker profile' };
      const ok = await completeMakerSignIn(
        { user, account, profile: { sub: account.providerAccountId, email: claimed } },
        config,
        cipher,
      );
      expect(ok, label).toBe(true);
      expect(localIds, label).not.toContain(user.id);
      // The Kinetic account bound to the identity, under its reserved placeholder address.
      expect(user.email, label).toBe(makerEmail(owner.brand, account.providerAccountId));
      expect(user.email, label).toMatch(new RegExp(`@${MAKER_EMAIL_DOMAIN.replaceAll('.', '\\.')}$`));
      signedInAs.add(user.id);
    }
    // Every claimed address led to the one account of that identity.
    expect(signedInAs.size).toBe(1);
    const [makerUserId] = [...signedInAs];
    const accounts = await db.selectFrom('car_accounts').select(['user_id', 'maker_subject']).execute();
    expect(accounts).toEqual([{ user_id: makerUserId, maker_subject: account.providerAccountId }]);
    // The local accounts are exactly as they were.
    expect(await snapshot(localIds)).toEqual(before);
  });

  it('no provider allows linking by e-mail, and Auth.js is given no adapter that could link', () => {
    const providers = makerProviders(config);
    expect(providers.length).toBeGreaterThan(0);
    for (const provider of providers)
      expect(
        (provider as { allowDangerousEmailAccountLinking?: boolean }).allowDangerousEmailAccountLinking,
      ).not.toBe(true);
    // Nor anywhere else in the sources: the setting and an adapter are what would let Auth.js link.
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
          const text = readFileSync(full, 'utf8');
          if (/allowDangerousEmailAccountLinking/.test(text)) offenders.push(full);
        }
      }
    };
    const root = path.resolve(import.meta.dirname, '..', '..');
    walk(path.join(root, 'lib'));
    walk(path.join(root, 'app'));
    expect(offenders).toEqual([]);
    expect(readFileSync(path.join(root, 'lib', 'auth', 'config.ts'), 'utf8')).not.toMatch(/\badapter\s*:/);
  });
});
