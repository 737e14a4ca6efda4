import 'server-only';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { jsonResponse, readLimitedText } from '../../route-handler';
import {
  PSA_V4_WEBHOOK_BATCH_MAX,
  type PsaV4WebhookMessage,
  psaV4WebhookMessageSchema,
} from '../../vehicle-api/psa-v4/schema/webhook';
import { EVENT_ID_HEADER } from './event-id';
import { acceptWebhookDelivery } from './receive';
import { WEBHOOK_SECRET_HEADER } from './secret';

// POST /api/webhooks/psa: one PSA v4 webhook delivery. Reads at most 1 MiB (a batch is up to 100
// messages, each with the extensions the monitor asked for — a trip, a position, a status, the
// alerts: a few KiB each, so 256 KiB, the app's usual JSON cap, could refuse a genuine batch),
// parses it with Kinetic's schema of the PSA template, and stores it (receive.ts). Errors are
// thrown as AppError / ZodError and turned into `{ error: { code, message } }` by withRoute.
// Answers: 200 stored (or already stored), 400 malformed or outside the replay window, 401 not
// authenticated, 413 too large, 415 not JSON.

export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** A delivery is one message or a batch of up to 100 (the PSA template); each is parsed alone. */
const webhookEnvelopeSchema = z.preprocess(
  (body) => (Array.isArray(body) ? body : [body]),
  z.array(z.unknown()).min(1).max(PSA_V4_WEBHOOK_BATCH_MAX),
);

async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_WEBHOOK_BODY_BYTES) throw new AppError('payload_too_large');
  return readLimitedText(request, MAX_WEBHOOK_BODY_BYTES);
}

export async function handlePsaWebhook(
  request: Request,
  deps: { db: Kysely<Database>; now?: () => number },
): Promise<Response> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) throw new AppError('unsupported_media_type');
  const text = await readBody(request);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  }
  // Message by message: one malformed message must not refuse its batch, or the sender's retries
  // would hold the good ones back until they expire. Nothing readable at all is a 400.
  const envelope = webhookEnvelopeSchema.parse(body);
  const parsed = envelope.map((message) => psaV4WebhookMessageSchema.safeParse(message));
  const messages: PsaV4WebhookMessage[] = [];
  const positions: number[] = [];
  parsed.forEach((result, index) => {
    if (result.success) {
      messages.push(result.data);
      positions.push(index);
    }
  });
  const firstFailure = parsed.find((result) => !result.success);
  if (messages.length === 0 && firstFailure?.error) throw firstFailure.error;
  const result = await acceptWebhookDelivery(
    deps.db,
    messages,
    {
      secret: request.headers.get(WEBHOOK_SECRET_HEADER),
      eventIds: request.headers.get(EVENT_ID_HEADER),
    },
    deps.now?.() ?? Date.now(),
    { deliverySize: envelope.length, positions },
  );
  if (result.malformed > 0)
    console.warn(`[webhooks] ${result.malformed} malformed message(s) dropped from a delivery`);
  return jsonResponse(result);
}
