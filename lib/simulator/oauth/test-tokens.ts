import { z } from 'zod';
import type { SimContext } from '../context';
import { HttpError } from '../http';
import { SIM_BRANDS } from '../world/brands';
import { TEST_TOKEN_SCOPES } from './scopes';
import type { TokenResponse } from './token-store';

export { TEST_TOKEN_SCOPES };

// `POST /sim/tokens` (interfaces.md › Simulator): tokens for a simulated owner without the browser
// sign-in, so that the demo and the tests can link an account in one call. The tokens are the
// same kind the token endpoint issues, for the brand's own client, so they behave identically.

const testTokenRequestSchema = z
  .object({
    owner: z.email().max(254),
    brand: z.enum(SIM_BRANDS),
  })
  .strict();

export function mintTestTokens(ctx: SimContext, body: unknown): TokenResponse {
  // The route is only mounted with SIM_TEST_TOKENS=1; refusing here too keeps a wiring mistake
  // from handing out tokens in a production configuration.
  if (!ctx.testEndpoints) throw new HttpError(404, 'not_found', 'Not found.');
  const parsed = testTokenRequestSchema.safeParse(body);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
      .join('; ');
    throw new HttpError(400, 'bad_request', message);
  }
  const { owner: email, brand } = parsed.data;
  const owner = ctx.world.findOwnerByEmail(email);
  if (!owner) throw new HttpError(404, 'not_found', 'No simulated owner has this e-mail address.');
  if (owner.brand !== brand) {
    throw new HttpError(400, 'bad_request', `This owner's account is with ${owner.brand}, not ${brand}.`);
  }
  return ctx.tokens.issue({
    ownerIndex: owner.index,
    brand,
    clientId: ctx.world.clientFor(brand).clientId,
    scopes: TEST_TOKEN_SCOPES,
  });
}
