import 'server-only';
import { emptyVehicleData, type Sample, type VehicleData } from '../../telemetry/model';
import {
  mergeSamples,
  normalizeAlert,
  normalizeMaintenance,
  normalizeTrip,
  PROVIDER,
  positionFields,
  statusSamples,
  telemetrySample,
} from '../../vehicle-api/psa-v4/normalize';
import type { PsaV4Position } from '../../vehicle-api/psa-v4/schema/position';
import type {
  PsaV4MonitorEventExtension,
  PsaV4WebhookMessage,
} from '../../vehicle-api/psa-v4/schema/webhook';
import { VIN_ATTRIBUTE } from './secret';

// One webhook message → the normalised records it carries (lib/telemetry/model.ts), through the
// same psa-v4 normalisers as polling, so a record arriving by webhook and by a later sync is the
// same record (same provider, same keys) and the store's upserts merge them.
//
// What a monitor event carries:
// - `values`: the trigger data. Alerts (`obj.alert`) are whole alerts. A trip start names the trip
//   (its id as the literal) at the message's date: without a `vehicle.trip` extension that is all
//   we know, a trip under way. Other literals (levels, speed…) are the status values at the date,
//   which the `vehicle.status` extension carries in full and with their units: not re-derived.
// - `extensions`: the v4 resources as of the event, mapped like the REST ones. Doors and alarm
//   states have no place in the model yet.
// Remote events (remote-action feedback) carry no vehicle data.
//
// Order does not matter: every record is keyed (trip id, alert id, sample instant) and the store
// keeps the most advanced version (observed_until) whatever order the messages come in.

export type MappedMessage = {
  /** The car's VIN from the `vin` Body attribute set at subscription; null when absent. */
  vin: string | null;
  data: VehicleData;
};

function positionSample(position: PsaV4Position): Sample {
  return {
    at: Date.parse(position.properties.createdAt),
    ...positionFields(position),
    source: { provider: PROVIDER, ref: 'position' },
  };
}

function addExtension(data: VehicleData, samples: Sample[], extension: PsaV4MonitorEventExtension): void {
  switch (extension.type) {
    case 'vehicle.trip':
      for (const { trip } of extension.body) {
        const normalized = normalizeTrip(trip);
        if (normalized) data.trips.push(normalized);
      }
      return;
    case 'vehicle.status':
      for (const { status } of extension.body) samples.push(...statusSamples(status));
      return;
    case 'vehicle.position':
      for (const { position } of extension.body) samples.push(positionSample(position));
      return;
    case 'vehicle.alerts':
      for (const { alerts } of extension.body) data.alerts.push(...alerts.map(normalizeAlert));
      return;
    case 'vehicle.maintenance':
      for (const { maintenance } of extension.body) data.maintenance.push(normalizeMaintenance(maintenance));
      return;
    case 'vehicle.doorsState':
    case 'vehicle.alarm':
      return;
    default:
      // vehicle.telemetry[.<type>]: telemetry messages, finer than the status.
      for (const { telemetry } of extension.body) {
        const sample = telemetrySample(telemetry);
        if (sample) samples.unshift(sample);
      }
  }
}

export function mapWebhookMessage(message: PsaV4WebhookMessage): MappedMessage {
  const vin = message.attributes?.find((attribute) => attribute.key === VIN_ATTRIBUTE)?.value ?? null;
  const data = emptyVehicleData();
  if (message.type !== 'Monitor') return { vin, data };

  const samples: Sample[] = [];
  for (const extension of message.monitorEvent.extensions ?? []) addExtension(data, samples, extension);
  for (const item of message.monitorEvent.values ?? []) {
    if (item.value?.type === 'obj.alert') {
      data.alerts.push(...item.value.body.objectValues.map(normalizeAlert));
    } else if (item.data === 'vehicle.trip.start' && item.value?.type === 'string') {
      const tripId = item.value.body.literalValue;
      if (tripId !== '' && !data.trips.some((trip) => trip.providerTripId === tripId)) {
        data.trips.push({
          providerTripId: tripId,
          startedAt: Date.parse(message.date),
          source: { provider: PROVIDER, ref: `trips/${tripId}` },
        });
      }
    }
  }
  data.samples = mergeSamples(samples);
  return { vin, data };
}
