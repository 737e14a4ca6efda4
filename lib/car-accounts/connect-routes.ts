import 'server-only';
import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { getCurrentUser } from '../auth';
import { getDb } from '../db';
import { getCarAccount } from '../db/queries/car-accounts';
import { AppError } from '../errors';
import { isPsaBrand, psaAppFor } from '../vehicle-api/psa-config';
import { getPsaConfig, getTokenCipher, publicOrigin } from './installation';
import { connectMakerAccount } from './maker-link';
import {
  beginConnectFlow,
  CONNECT_COOKIE,
  CONNECT_FLOW_TTL_MS,
  ConnectFlowError,
  completeConnectFlow,
  openConnectFlow,
} from './maker-oauth';

// The two browser legs of "Connect a car" (GET /api/car-accounts/connect/{brand} and its
// callback). Both are navigations, not API calls: every outcome is a redirect to a page that says
// what happened, never a JSON error the owner would have to read.

const CARS_PAGE = '/settings/cars';
const COOKIE_PATH = '/api/car-accounts';

function redirectTo(request: Request, path: string): NextResponse {
  return NextResponse.redirect(new URL(path, publicOrigin(request)), 303);
}

const callbackUri = (request: Request, brand: string) =>
  `${publicOrigin(request)}/api/car-accounts/callback/${brand}`;

export async function startConnect(request: Request, brand: string): Promise<NextResponse> {
  const user = await getCurrentUser();
  if (!user) return redirectTo(request, `/login?callbackUrl=${encodeURIComponent(CARS_PAGE)}`);
  const config = await getPsaConfig();
  const app = isPsaBrand(brand) ? psaAppFor(config, brand) : undefined;
  if (!app) return redirectTo(request, `${CARS_PAGE}?error=unavailable`);
  // Re-authorising names the account; it must be this owner's, of this brand (else: not found).
  const accountId = new URL(request.url).searchParams.get('account');
  if (accountId !== null) {
    const account = await getCarAccount(getDb(), user.userId, accountId);
    if (!account || account.brand !== brand) return redirectTo(request, `${CARS_PAGE}?error=not_found`);
  }
  const flow = await beginConnectFlow({
    app,
    cipher: getTokenCipher(),
    ownerId: user.userId,
    accountId,
    redirectUri: callbackUri(request, brand),
  });
  const response = NextResponse.redirect(flow.authorizeUrl, 303);
  response.cookies.set(CONNECT_COOKIE, flow.cookie, {
    httpOnly: true,
    // Lax: the IdP's redirect back is a top-level GET navigation, which carries Lax cookies.
    sameSite: 'lax',
    secure: publicOrigin(request).startsWith('https:'),
    path: COOKIE_PATH,
    maxAge: CONNECT_FLOW_TTL_MS / 1000,
  });
  return response;
}

export async function finishConnect(request: Request, brand: string): Promise<NextResponse> {
  const user = await getCurrentUser();
  if (!user) return redirectTo(request, `/login?callbackUrl=${encodeURIComponent(CARS_PAGE)}`);
  const config = await getPsaConfig();
  const app = isPsaBrand(brand) ? psaAppFor(config, brand) : undefined;
  const cipher = getTokenCipher();
  const jar = await cookies();
  const flow = openConnectFlow(cipher, jar.get(CONNECT_COOKIE)?.value);
  const outcome = await (async () => {
    if (!app || !config || !isPsaBrand(brand)) return `${CARS_PAGE}?error=unavailable`;
    try {
      const completed = await completeConnectFlow({
        app,
        brand,
        flow,
        ownerId: user.userId,
        callbackUrl: new URL(request.url),
        redirectUri: callbackUri(request, brand),
      });
      const db = getDb();
      const { account } = await connectMakerAccount(db, cipher, {
        ownerId: user.userId,
        brand,
        makerSubject: completed.makerSubject,
        tokens: completed.tokens,
      });
      if (flow?.accountId === account.id) {
        // Re-authorised: its cars are linked already; the worker resumes them on its next pass.
        return `${CARS_PAGE}/${account.id}?reauthorized=1`;
      }
      return `${CARS_PAGE}/${account.id}/vehicles`;
    } catch (error) {
      if (error instanceof ConnectFlowError) return `${CARS_PAGE}?error=${error.reason}`;
      if (error instanceof AppError && error.code === 'conflict') return `${CARS_PAGE}?error=taken`;
      console.error(`[connect] ${brand}: ${error instanceof Error ? error.name : 'error'}`);
      return `${CARS_PAGE}?error=upstream`;
    }
  })();
  const response = redirectTo(request, outcome);
  response.cookies.set(CONNECT_COOKIE, '', { path: COOKIE_PATH, maxAge: 0 });
  return response;
}
