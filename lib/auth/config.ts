import 'server-only';
import type { NextAuthConfig } from 'next-auth';
import { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getPsaConfig, getTokenCipher } from '../car-accounts/installation';
import { getDb } from '../db';
import { createSession, deleteSession, SESSION_MAX_AGE_MS } from '../db/queries/sessions';
import { ensureDemoOwner } from '../demo/demo-owner';
import { env } from '../env';
import { getAuthSecret } from '../secrets';
import { syncPreferenceCookies } from '../settings/preference-cookies';
import { verifyCredentials } from './accounts';
import { clientAddress } from './client-address';
import { completeMakerSignIn, makerProviders } from './maker-sign-in';

declare module 'next-auth' {
  interface User {
    sessionId?: string;
  }
}

declare module '@auth/core/jwt' {
  interface JWT {
    sid?: string;
  }
}

/** Thrown from authorize() when the sign-in is throttled; its code reaches the sign-in form. */
export class RateLimitedSignin extends CredentialsSignin {
  override code = 'rate_limited';
}

async function openSession(userId: string, request: Request): Promise<string> {
  return createSession(getDb(), {
    userId,
    userAgent: request.headers.get('user-agent'),
    ip: clientAddress(request.headers),
  });
}

const credentialsProvider = Credentials({
  id: 'credentials',
  name: 'E-mail and password',
  credentials: {
    email: { label: 'E-mail', type: 'email' },
    password: { label: 'Password', type: 'password' },
  },
  async authorize(credentials, request) {
    const result = await verifyCredentials(getDb(), credentials, clientAddress(request.headers));
    if (!result.ok) {
      if (result.reason === 'rate_limited') throw new RateLimitedSignin();
      return null;
    }
    const sessionId = await openSession(result.user.id, request);
    return { id: result.user.id, email: result.user.email, name: result.user.name, sessionId };
  },
});

const demoProvider = Credentials({
  id: 'demo',
  name: 'Demo',
  credentials: {},
  async authorize(_credentials, request) {
    if (!env.DEMO) return null;
    const owner = await ensureDemoOwner(getDb());
    const sessionId = await openSession(owner.id, request);
    return { id: owner.id, email: owner.email, name: owner.name, sessionId };
  },
});

// Built lazily (on the first request, not at import) so `next build` never touches the data
// folder for the generated secret, nor asks the simulator for its applications.
export async function buildAuthConfig(): Promise<NextAuthConfig> {
  const psa = await getPsaConfig();
  const cipher = getTokenCipher();
  return {
    secret: getAuthSecret(env),
    trustHost: true,
    // Credentials sign-in requires JWT sessions; the token carries only a session id that the
    // data layer checks against the sessions table on every request, which makes it revocable.
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_MS / 1000 },
    pages: { signIn: '/login', error: '/login' },
    providers: [credentialsProvider, ...(env.DEMO ? [demoProvider] : []), ...makerProviders(psa)],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.type !== 'oauth') return true;
        return completeMakerSignIn({ user, account, profile }, psa, cipher);
      },
      async jwt({ token, user }) {
        if (user?.sessionId && user.id) {
          // The language and time zone cookies follow the owner's stored choice from the first page.
          await syncPreferenceCookies(getDb(), user.id);
          return { sub: user.id, sid: user.sessionId };
        }
        return token;
      },
      // The session id stays inside the encrypted cookie: /api/auth/session, which any script of
      // the page can read, never carries it (the app reads it from the cookie, session-cookie.ts).
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const sid = 'token' in message ? message.token?.sid : undefined;
        if (sid) await deleteSession(getDb(), sid);
      },
    },
    logger: {
      error(error) {
        // A wrong password is not a server error; anything else is logged without secrets.
        if (error instanceof CredentialsSignin) return;
        console.error(`[auth] ${error.name}: ${error.message}`);
      },
      warn(code) {
        if (code !== 'debug-enabled') console.warn(`[auth] warning: ${code}`);
      },
    },
  };
}
