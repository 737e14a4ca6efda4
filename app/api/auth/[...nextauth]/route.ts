import { handlers } from '@/lib/auth';
import { SIGN_IN_LIMITS } from '@/lib/auth/throttle';
import { errorResponse } from '@/lib/route-handler';

export const { GET } = handlers;

/**
 * next-auth answers every refused sign-in with a redirect to the sign-in page. A throttled one is
 * turned into what an API client can act on: 429 with Retry-After (the limits' window, which
 * bounds the wait).
 */
export async function POST(request: Parameters<typeof handlers.POST>[0]): Promise<Response> {
  const response = await handlers.POST(request);
  const location = response.headers.get('location') ?? '';
  if (location.includes('code=rate_limited')) {
    return errorResponse(
      'rate_limited',
      'Too many sign-in attempts. Wait a minute, then try again.',
      SIGN_IN_LIMITS.perAccount.windowMs / 1000,
    );
  }
  return response;
}
