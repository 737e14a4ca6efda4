import 'server-only';
import { createHash } from 'node:crypto';
import type { PsaV4WebhookMessage } from '../../vehicle-api/psa-v4/schema/webhook';

// The id a message is deduplicated on. PSA's template has no message id; the simulator gives each
// message a stable one, the same on retries and duplicates, as the Body attribute `x-event-id` and
// the delivery's `x-event-id` header (comma-separated for a batch; docs/simulator.md "Webhooks").
// In order: the message's own attribute; the header entry at the message's index when the header
// lists one id per message; else a SHA-256 of the parsed message, which a retry of the same
// message reproduces (the schema fixes the key order and drops unknown fields).

export const EVENT_ID_ATTRIBUTE = 'x-event-id';
export const EVENT_ID_HEADER = 'x-event-id';

/** Ids longer than this are hashed rather than trusted as keys. */
const MAX_ID_LENGTH = 200;

const usable = (id: string | undefined): id is string =>
  id !== undefined && id.length > 0 && id.length <= MAX_ID_LENGTH;

export function contentEventId(message: PsaV4WebhookMessage): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(message)).digest('hex')}`;
}

/**
 * Where the messages sat in the delivery, when some of it was set aside (malformed messages): the
 * header lists one id per message of the whole delivery.
 */
export type DeliveryLayout = { deliverySize: number; positions: readonly number[] };

export function eventIdsOf(
  messages: readonly PsaV4WebhookMessage[],
  header: string | null,
  layout?: DeliveryLayout,
): string[] {
  const fromHeader = (header ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const headerFits = fromHeader.length === (layout?.deliverySize ?? messages.length);
  return messages.map((message, index) => {
    const attribute = message.attributes?.find((item) => item.key === EVENT_ID_ATTRIBUTE)?.value;
    if (usable(attribute)) return attribute;
    const listed = headerFits ? fromHeader[layout?.positions[index] ?? index] : undefined;
    if (usable(listed)) return listed;
    return contentEventId(message);
  });
}
