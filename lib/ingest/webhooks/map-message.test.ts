import { describe, expect, it } from 'vitest';
import { psaV4WebhookDeliverySchema } from '@/lib/vehicle-api/psa-v4/schema/webhook';
import { mapWebhookMessage } from './map-message';

// Hand-written PSA messages (template `Message`, vehicle-apis.md §4.2) and the records expected from
// them, worked out by hand from the units in vehicle-apis.md §5 (km, km/h, degrees, metres).

const VIN = 'VR3UHZKXZMT123456';
const link = { self: { href: 'https://api.example/x' } };
const parse = (body: unknown) => {
  const [message] = psaV4WebhookDeliverySchema.parse(body);
  if (!message) throw new Error('no message');
  return message;
};
const ms = (text: string) => Date.parse(text);

describe('mapping a webhook message', () => {
  it('maps a trip stop with its trip, position, maintenance and alert', () => {
    const message = parse({
      callbackId: 'cb',
      type: 'Monitor',
      date: '2026-03-01T08:20:10Z',
      attributes: [
        { key: 'x-event-id', value: 'e1' },
        { key: 'vin', value: VIN },
      ],
      monitorEvent: {
        monitorId: 'm',
        refresh: false,
        values: [
          { data: 'vehicle.trip.stop', value: { type: 'string', body: { literalValue: 'T9' } } },
          {
            data: 'vehicle.alert',
            value: {
              type: 'obj.alert',
              body: {
                objectValues: [
                  {
                    id: 'A1',
                    active: true,
                    type: 'adjustTyrePressure',
                    severity: 'Critical',
                    startedAt: '2026-03-01T08:15:00Z',
                    updatedAt: '2026-03-01T08:15:00Z',
                    _links: link,
                  },
                ],
              },
            },
          },
        ],
        extensions: [
          {
            type: 'vehicle.trip',
            body: [
              {
                trip: {
                  id: 'T9',
                  createdAt: '2026-03-01T08:00:00Z',
                  _links: link,
                  startedAt: '2026-03-01T08:00:00Z',
                  stoppedAt: '2026-03-01T08:20:00Z',
                  duration: 1200,
                  distance: 14.2,
                  startPosition: {
                    type: 'Feature',
                    geometry: { type: 'Point', coordinates: [2.35, 48.85] },
                    properties: { createdAt: '2026-03-01T08:00:00Z' },
                  },
                  done: true,
                },
              },
            ],
          },
          {
            type: 'vehicle.position',
            body: [
              {
                position: {
                  type: 'Feature',
                  geometry: { type: 'Point', coordinates: [2.3, 48.9, 35] },
                  properties: { createdAt: '2026-03-01T08:20:05Z', heading: 90 },
                },
              },
            ],
          },
          {
            type: 'vehicle.maintenance',
            body: [
              {
                maintenance: {
                  createdAt: '2026-03-01T08:20:00Z',
                  daysBeforeMaintenance: 120,
                  mileageBeforeMaintenance: 8000,
                  _links: link,
                },
              },
            ],
          },
          {
            type: 'vehicle.doorsState',
            body: [{ doorsState: { createdAt: '2026-03-01T08:20:00Z', lockedStates: ['Locked'] } }],
          },
        ],
      },
    });
    const source = (ref: string) => ({ provider: 'psa-v4', ref });
    expect(mapWebhookMessage(message)).toEqual({
      vin: VIN,
      data: {
        samples: [
          {
            at: ms('2026-03-01T08:20:05Z'),
            latitude: 48.9,
            longitude: 2.3,
            altitudeM: 35,
            headingDeg: 90,
            source: source('position'),
          },
        ],
        trips: [
          {
            providerTripId: 'T9',
            startedAt: ms('2026-03-01T08:00:00Z'),
            endedAt: ms('2026-03-01T08:20:00Z'),
            distanceKm: 14.2,
            durationS: 1200,
            startPosition: { latitude: 48.85, longitude: 2.35 },
            source: source('trips/T9'),
          },
        ],
        chargingSessions: [],
        alerts: [
          {
            providerAlertId: 'A1',
            type: 'adjustTyrePressure',
            severity: 'critical',
            active: true,
            startedAt: ms('2026-03-01T08:15:00Z'),
            source: source('alerts/A1'),
          },
        ],
        maintenance: [
          {
            at: ms('2026-03-01T08:20:00Z'),
            daysBeforeService: 120,
            kmBeforeService: 8000,
            source: source('maintenance'),
          },
        ],
        ecoEvaluations: [],
      },
    });
  });

  it('keeps a trip under way from a start event without the trip extension', () => {
    const message = parse({
      callbackId: 'cb',
      type: 'Monitor',
      date: '2026-03-01T07:59:58Z',
      attributes: [{ key: 'vin', value: VIN }],
      monitorEvent: {
        monitorId: 'm',
        values: [{ data: 'vehicle.trip.start', value: { type: 'string', body: { literalValue: 'T10' } } }],
      },
    });
    expect(mapWebhookMessage(message).data.trips).toEqual([
      {
        providerTripId: 'T10',
        startedAt: ms('2026-03-01T07:59:58Z'),
        source: { provider: 'psa-v4', ref: 'trips/T10' },
      },
    ]);
  });

  it('finds nothing to store in a threshold literal or a remote-action event, and no VIN when none is set', () => {
    const level = parse({
      callbackId: 'cb',
      type: 'Monitor',
      date: '2026-03-01T08:00:00Z',
      monitorEvent: {
        monitorId: 'm',
        values: [
          {
            data: 'vehicle.energy.electric.level',
            value: { type: 'string', body: { literalValue: '19' } },
            previous: '21',
          },
        ],
      },
    });
    const remote = parse({
      callbackId: 'cb',
      type: 'Remote',
      date: '2026-03-01T08:00:00Z',
      attributes: [{ key: 'vin', value: VIN }],
      remoteEvent: { remoteActionId: 'r', eventStatus: { type: 'Pending', status: 'Accepted' } },
    });
    const empty = {
      samples: [],
      trips: [],
      chargingSessions: [],
      alerts: [],
      maintenance: [],
      ecoEvaluations: [],
    };
    expect(mapWebhookMessage(level)).toEqual({ vin: null, data: empty });
    expect(mapWebhookMessage(remote)).toEqual({ vin: VIN, data: empty });
  });
});
