import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createTokenCipher } from '@/lib/crypto/token-cipher';
import { connectCarAccount, linkVehicles } from '@/lib/db/queries/car-accounts';
import { createUser } from '@/lib/db/queries/users';
import type { Database } from '@/lib/db/schema';
import { recordWebhookSubscription } from './subscriptions';

// Test support for the webhook tests: an owner with a linked PSA v4 car and a subscribed callback,
// and hand-written PSA webhook messages (the template's `Message`, vehicle-apis.md §4.2).

export const NOW = Date.parse('2026-03-02T10:00:00Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

const cipher = createTokenCipher(randomBytes(32));
let counter = 0;

export type LinkedCar = {
  ownerId: string;
  accountId: string;
  vehicleId: string;
  vin: string;
  callbackId: string;
  secret: string;
};

/** A fresh owner, account, car (VIN `vin`) and callback with `secret`. */
export async function linkedCarWithCallback(
  db: Kysely<Database>,
  options: { vin?: string; providerVehicleId?: string; callbackId?: string; secret?: string } = {},
): Promise<LinkedCar> {
  counter += 1;
  const vin = options.vin ?? `VR3UHZKXZMT${String(100000 + counter).slice(-6)}`;
  const owner = await createUser(db, {
    email: `hook${counter}-${randomBytes(3).toString('hex')}@example.com`,
    passwordHash: null,
    now: NOW,
  });
  const { account } = await connectCarAccount(db, cipher, {
    ownerId: owner.id,
    provider: 'psa-v4',
    brand: 'peugeot',
    makerSubject: `sub-${counter}-${randomBytes(4).toString('hex')}`,
    tokens: { accessToken: 'AT', refreshToken: 'RT', expiresAt: NOW + HOUR, scopes: ['openid'] },
    now: NOW,
  });
  const linked = await linkVehicles(
    db,
    owner.id,
    account.id,
    [
      {
        providerVehicleId: options.providerVehicleId ?? `veh-${counter}`,
        vin,
        label: 'e-208',
        brand: 'Peugeot',
        model: 'e-208',
        powertrain: 'electric',
      },
    ],
    { now: NOW },
  );
  const vehicleId = linked?.[0]?.vehicleId;
  if (!vehicleId) throw new Error('the car was not linked');
  const callbackId = options.callbackId ?? `cb-${counter}-${randomBytes(4).toString('hex')}`;
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  await recordWebhookSubscription(db, { callbackId, carAccountId: account.id, secret, now: NOW });
  return { ownerId: owner.id, accountId: account.id, vehicleId, vin, callbackId, secret };
}

export const iso = (ms: number) => new Date(ms).toISOString();

const link = (href: string) => ({ href });

/** A trip resource as in GET …/trips/{id}. */
export function tripResource(input: {
  id: string;
  startedAt: number;
  stoppedAt?: number;
  distanceKm?: number;
  done: boolean;
}) {
  return {
    id: input.id,
    createdAt: iso(input.startedAt),
    _links: { self: link(`https://api.example/trips/${input.id}`) },
    startedAt: iso(input.startedAt),
    ...(input.stoppedAt !== undefined ? { stoppedAt: iso(input.stoppedAt) } : {}),
    ...(input.distanceKm !== undefined ? { distance: input.distanceKm } : {}),
    ...(input.stoppedAt !== undefined
      ? { duration: Math.round((input.stoppedAt - input.startedAt) / 1000) }
      : {}),
    done: input.done,
  };
}

/** A Monitor message for a trip start or stop, with the trip extension and the ids as attributes. */
export function tripMessage(input: {
  callbackId: string;
  eventId?: string;
  vin?: string;
  date: number;
  trip: ReturnType<typeof tripResource>;
  kind: 'start' | 'stop';
}) {
  const attributes = [
    ...(input.eventId !== undefined ? [{ key: 'x-event-id', value: input.eventId }] : []),
    ...(input.vin !== undefined ? [{ key: 'vin', value: input.vin }] : []),
  ];
  return {
    callbackId: input.callbackId,
    type: 'Monitor',
    date: iso(input.date),
    attributes,
    monitorEvent: {
      monitorId: 'mon-1',
      refresh: false,
      values: [
        {
          data: `vehicle.trip.${input.kind}`,
          value: { type: 'string', body: { literalValue: input.trip.id } },
        },
      ],
      extensions: [{ type: 'vehicle.trip', body: [{ trip: input.trip }] }],
    },
  };
}

/** A Monitor message raising one alert (`obj.alert`). */
export function alertMessage(input: {
  callbackId: string;
  eventId: string;
  vin: string;
  date: number;
  alertId: string;
  endAt?: number;
}) {
  return {
    callbackId: input.callbackId,
    type: 'Monitor',
    date: iso(input.date),
    attributes: [
      { key: 'x-event-id', value: input.eventId },
      { key: 'vin', value: input.vin },
    ],
    monitorEvent: {
      monitorId: 'mon-2',
      values: [
        {
          data: 'vehicle.alert',
          value: {
            type: 'obj.alert',
            body: {
              objectValues: [
                {
                  id: input.alertId,
                  active: input.endAt === undefined,
                  type: 'adjustTyrePressure',
                  severity: 'Warning',
                  startedAt: iso(input.date),
                  ...(input.endAt !== undefined ? { endAt: iso(input.endAt) } : {}),
                  updatedAt: iso(input.endAt ?? input.date),
                  _links: { self: link(`https://api.example/alerts/${input.alertId}`) },
                },
              ],
            },
          },
        },
      ],
    },
  };
}
