import { describe, expect, it } from 'vitest';
import { psaV4WebhookDeliverySchema } from '@/lib/vehicle-api/psa-v4/schema/webhook';
import { eventIdsOf } from './event-id';
import { NOW, tripMessage, tripResource } from './test-support';

const message = (attributes: Array<{ key: string; value: string }>, date = NOW) => {
  const raw = tripMessage({
    callbackId: 'cb',
    date,
    kind: 'start',
    trip: tripResource({ id: 't1', startedAt: date, done: false }),
  });
  const [parsed] = psaV4WebhookDeliverySchema.parse({ ...raw, attributes });
  if (!parsed) throw new Error('unparsed');
  return parsed;
};

describe('event ids', () => {
  it("uses each message's x-event-id attribute first", () => {
    const messages = [
      message([{ key: 'x-event-id', value: 'a' }]),
      message([{ key: 'x-event-id', value: 'b' }]),
    ];
    expect(eventIdsOf(messages, 'z, y')).toEqual(['a', 'b']);
  });

  it('falls back to the header, one id per message in order, when it lists as many ids as messages', () => {
    const messages = [message([]), message([{ key: 'x-event-id', value: 'own' }]), message([])];
    expect(eventIdsOf(messages, 'h1, h2 ,h3')).toEqual(['h1', 'own', 'h3']);
  });

  it('hashes the message when no id fits: stable for the same message, different for another', () => {
    const [a, again] = eventIdsOf([message([]), message([])], 'only-one');
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again).toBe(a);
    const [other] = eventIdsOf([message([], NOW + 1000)], null);
    expect(other).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(other).not.toBe(a);
  });

  it('does not trust an empty or over-long id', () => {
    const [empty, long] = eventIdsOf(
      [message([{ key: 'x-event-id', value: '' }]), message([{ key: 'x-event-id', value: 'x'.repeat(201) }])],
      null,
    );
    expect(empty).toMatch(/^sha256:/);
    expect(long).toMatch(/^sha256:/);
  });
});
