import 'server-only';
import { headers } from 'next/headers';
import type { Account, Profile, User } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers';
import { appProviders, connectMakerAccount, linkMakerVehicles } from '../car-accounts/maker-link';
import type { TokenCipher } from '../crypto/token-cipher';
import { getDb } from '../db';
import { getCarAccountByMakerIdentity } from '../db/queries/car-accounts';
import { createSession } from '../db/queries/sessions';
import { ensurePasswordlessUser, getUserById } from '../db/queries/users';
import type { UserRow } from '../db/schema';
import { TAINT_MESSAGES, taintAccountTokens, taintValue } from '../security/taint';
import {
  isPsaBrand,
  PSA_BRAND_FACTS,
  PSA_SCOPES,
  type PsaApp,
  type PsaBrand,
  type PsaConfig,
  psaAppFor,
} from '../vehicle-api/psa-config';
import { clientAddress } from './client-address';
import { makerEmail } from './maker-users';

// "Sign in with MyPeugeot" (and MyCitroën, MyDS, MyOpel): one Auth.js OAuth provider per brand
// realm, against the simulator's IdP in the embedded default and the real one by configuration
// (lib/vehicle-api/psa-config.ts). Auth.js checks `state` and PKCE and, when the IdP sends an
// id_token, its iss/aud/exp; the profile comes from the IdP's userinfo.
//
// Signing in this way resolves to the Kinetic account bound to that maker identity (brand + the
// IdP's `sub`), or creates one. Never by e-mail: a MyPeugeot profile whose address matches a local
// account does not open that account (its owner links the maker account from settings instead),
// so new maker users get a reserved placeholder address. The same consent links the cars.

const PROVIDER_PREFIX = 'psa-';

export const makerProviderId = (brand: PsaBrand) => `${PROVIDER_PREFIX}${brand}`;

function brandOfProvider(providerId: string): PsaBrand | null {
  if (!providerId.startsWith(PROVIDER_PREFIX)) return null;
  const brand = providerId.slice(PROVIDER_PREFIX.length);
  return isPsaBrand(brand) ? brand : null;
}

type MakerProfile = Profile & { sub: string; name?: string; email?: string };

/** The brands an owner can sign in with: the code exchange needs the application's secret. */
export function signInApps(config: PsaConfig | null): PsaApp[] {
  return config?.apps.filter((app) => app.clientSecret !== '') ?? [];
}

export function makerProviders(config: PsaConfig | null): OAuthConfig<MakerProfile>[] {
  return signInApps(config).map((app) => ({
    id: makerProviderId(app.brand),
    name: PSA_BRAND_FACTS[app.brand].appName,
    type: 'oauth' as const,
    issuer: app.issuer,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    // PSA documents client_secret_basic for the code exchange (vehicle-apis.md §2.2).
    client: { token_endpoint_auth_method: 'client_secret_basic' },
    authorization: { url: app.authorizeUrl, params: { scope: PSA_SCOPES.join(' ') } },
    token: app.tokenUrl,
    userinfo: app.userinfoUrl,
    checks: ['pkce', 'state'],
    profile(profile: MakerProfile) {
      return { id: String(profile.sub), name: profile.name ?? null, email: profile.email ?? null };
    },
  }));
}

/**
 * The Kinetic user this identity signs in as: the owner of its car account, or — for an identity
 * no account holds (never seen, or disconnected by its owner, whose account it must no longer
 * open) — the identity's own user under its placeholder address, created on first use. Null when
 * that user is disabled.
 */
async function ownerForIdentity(
  brand: PsaBrand,
  subject: string,
  name: string | null,
): Promise<UserRow | null> {
  const db = getDb();
  const bound = await getCarAccountByMakerIdentity(db, { provider: 'psa-v4', brand, makerSubject: subject });
  const user =
    bound && bound.status !== 'disconnected'
      ? await getUserById(db, bound.userId)
      : await ensurePasswordlessUser(db, { email: makerEmail(brand, subject), name });
  return user && user.disabled_at === null ? user : null;
}

/**
 * The Auth.js `signIn` callback's work for a maker provider: resolve or create the owner, store
 * the grant as their car account, link its cars, open a Kinetic session. Sets `user.id` and
 * `user.sessionId`, which the `jwt` callback turns into the session cookie. False refuses.
 */
export async function completeMakerSignIn(
  input: { user: User; account: Account | null; profile?: Profile },
  config: PsaConfig | null,
  cipher: TokenCipher,
): Promise<boolean> {
  const { user, account } = input;
  const brand = account ? brandOfProvider(account.provider) : null;
  if (!account || !brand || !psaAppFor(config, brand) || !config) return false;
  const subject = account.providerAccountId;
  if (!account.access_token || !account.refresh_token || !subject) return false;
  // The grant as Auth.js hands it over: plain strings in this process from here on.
  taintValue(TAINT_MESSAGES.accessToken, account, account.access_token);
  taintValue(TAINT_MESSAGES.refreshToken, account, account.refresh_token);
  taintValue(TAINT_MESSAGES.idToken, account, account.id_token);

  const owner = await ownerForIdentity(brand, subject, user.name ?? null);
  if (!owner) return false;
  const db = getDb();
  const connected = await connectMakerAccount(db, cipher, {
    ownerId: owner.id,
    brand,
    makerSubject: subject,
    tokens: taintAccountTokens({
      accessToken: account.access_token,
      refreshToken: account.refresh_token,
      expiresAt: (account.expires_at ?? Math.floor(Date.now() / 1000) + 3599) * 1000,
      scopes: (account.scope ?? '').split(/[ ,]+/).filter(Boolean),
    }),
  });
  try {
    await linkMakerVehicles(db, appProviders(db, cipher, config), owner.id, connected.account, 'all');
  } catch (error) {
    // The account is stored; its cars can be picked from settings once the API answers.
    console.error(
      `[auth] could not list the cars of a ${brand} account: ${error instanceof Error ? error.name : 'error'}`,
    );
  }
  const requestHeaders = await headers();
  user.id = owner.id;
  user.email = owner.email;
  user.name = owner.name;
  user.sessionId = await createSession(db, {
    userId: owner.id,
    userAgent: requestHeaders.get('user-agent'),
    ip: clientAddress(requestHeaders),
  });
  return true;
}
