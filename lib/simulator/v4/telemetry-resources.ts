import type { SimContext } from '../context';
import { instantFuelLPer100km } from '../fleet/energy-readings';
import type { PrivacyState } from '../fleet/privacy';
import { DAY_MS, type TripRecord, type VehicleTimeline } from '../fleet/vehicle-timeline';
import { kinematicRpm } from '../physics/gearbox';
import type { DriveTrace } from '../physics/powertrain';
import { transmissionOf, type VehicleModel } from '../physics/vehicle-models';
import type { SimVehicle } from '../world/world';
import { positionFeature } from './geojson';
import { type ListLike, link, rfc3339 } from './hal';
import { vehicleUrl } from './resources';
import type { TimeRange } from './timestamps';
import { energiesAt, round1, samplesAt, tripPrivacy } from './trip-resources';

// The v4 `Telemetry` message (spec 4.17 components/schemas/Telemetry, vehicle-apis.md §5.5): one per
// second of every trip, from the trip's 1 Hz trace, so its speeds, levels and odometer are the
// trace's own at that second. A parked car sleeps and sends nothing. Collections are lazy: a month
// is 100,000+ seconds, and only the page asked for is rendered.

/** TelemetryEnum 4.17: the `type` filter's values. */
export const TELEMETRY_TYPES = [
  'environment',
  'privacy',
  'vehicle',
  'vehicle.adas',
  'vehicle.battery',
  'vehicle.doorsState',
  'vehicle.energies',
  'vehicle.engines',
  'vehicle.ignition',
  'vehicle.lightingSystem',
  'vehicle.safety',
  'vehicle.transmission',
  'vehicle.alarm.status',
  'vehicle.alarm.trigger',
  'vehicle.wipingBlades',
] as const;

/** TelemetryExtensionType: the position, and the service counters at that second. */
export const TELEMETRY_EXTENSIONS = ['location', 'maintenance'] as const;

/** Instantaneous consumption shown at standstill or crawling with the engine running (L/100 km). */
/** PSA cars lock their doors once driven above 10 km/h. */
const AUTO_LOCK_KMH = 10;
const DOORS = ['Driver', 'Passenger', 'RearLeft', 'RearRight', 'Trunk'] as const;

export type TelemetryItem = { trip: TripRecord; index: number };

/** One run of consecutive seconds of a trip, at `offset` in the whole result. */
type Span = { trip: TripRecord; first: number; count: number; offset: number };

/** Ranges sorted and merged, so a second in two overlapping ranges is listed once. */
function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = [...ranges].sort((a, b) => a.fromMs - b.fromMs);
  const merged: TimeRange[] = [];
  for (const range of sorted) {
    const previous = merged.at(-1);
    if (previous && range.fromMs <= previous.toMs) previous.toMs = Math.max(previous.toMs, range.toMs);
    else merged.push({ ...range });
  }
  return merged;
}

/** Trips that may have seconds in `ranges` at `atMs`: the history start bounds the search. */
export function tripsForRanges(
  ctx: SimContext,
  vehicle: SimVehicle,
  ranges: readonly TimeRange[],
  atMs: number,
): TripRecord[] {
  const historyMs = ctx.fleet.historyStartMs(vehicle, atMs);
  const earliest = Math.min(...ranges.map((range) => range.fromMs));
  const latest = Math.max(...ranges.map((range) => range.toMs));
  // A trip lasts hours at most: one that started a day before the window cannot reach into it.
  const fromMs = Math.max(historyMs, earliest - DAY_MS);
  const toMs = Math.min(atMs + 1, latest);
  if (!(toMs > fromMs)) return [];
  return ctx.fleet.timelineOf(vehicle).tripsBetween(fromMs, toMs);
}

/**
 * The seconds of `trips` recorded by `atMs` that lie in `ranges`, oldest first, as a lazy list:
 * index k is found through the spans' running offsets, and only a page's items are built.
 */
export function telemetrySeconds(
  trips: readonly TripRecord[],
  ranges: readonly TimeRange[],
  atMs: number,
): ListLike<TelemetryItem> {
  const merged = mergeRanges(ranges);
  const spans: Span[] = [];
  let length = 0;
  for (const trip of trips) {
    const count = samplesAt(trip, atMs);
    for (const range of merged) {
      const first = Math.max(0, Math.ceil((range.fromMs - trip.startMs) / 1000));
      const end = Math.min(count, Math.ceil((range.toMs - trip.startMs) / 1000));
      if (end <= first) continue;
      spans.push({ trip, first, count: end - first, offset: length });
      length += end - first;
    }
  }
  return {
    length,
    slice(start, end) {
      const items: TelemetryItem[] = [];
      // The last span starting at or before `start`.
      let low = 0;
      let high = spans.length - 1;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if ((spans[mid] as Span).offset <= start) low = mid;
        else high = mid - 1;
      }
      for (let s = low, k = Math.max(0, start); s < spans.length && k < Math.min(end, length); s++) {
        const span = spans[s] as Span;
        for (; k < Math.min(end, span.offset + span.count); k++) {
          items.push({ trip: span.trip, index: span.first + (k - span.offset) });
        }
      }
      return items;
    },
  };
}

/**
 * Daylight at a place and instant: the sun above −0.833° (sunrise/sunset), from the declination and
 * the hour angle on mean solar time (the equation of time, ±16 min, is left out).
 */
export function isDaylight(ms: number, lat: number, lon: number): boolean {
  const rad = Math.PI / 180;
  const dayOfYear = (ms - Date.UTC(new Date(ms).getUTCFullYear(), 0, 1)) / DAY_MS;
  const declination = -23.44 * rad * Math.cos(((2 * Math.PI) / 365) * (dayOfYear + 10));
  const solarHours = ((ms % DAY_MS) / 3_600_000 + lon / 15 + 24) % 24;
  const hourAngle = (solarHours - 12) * 15 * rad;
  const sinElevation =
    Math.sin(lat * rad) * Math.sin(declination) +
    Math.cos(lat * rad) * Math.cos(declination) * Math.cos(hourAngle);
  return sinElevation > Math.sin(-0.833 * rad);
}

/** The `location` extension: a PositionBase, whose properties have no createdAt (the message has it). */
function locationOf(place: { lat: number; lon: number; headingDeg: number }, ms: number) {
  const feature = positionFeature({ ...place, createdAtMs: ms });
  const { createdAt: _createdAt, ...properties } = feature.properties;
  return { ...feature, properties };
}

export type TelemetryRenderInput = {
  apiBase: string;
  vehicle: SimVehicle;
  timeline: VehicleTimeline;
  seed: string;
  /** The `type` filter; empty means every block. */
  types: readonly string[];
  /** `extension=location` asked, `data:position` granted. */
  location: boolean;
  /** `extension=maintenance` asked: the service counters at an instant (null before enrolment). */
  maintenanceAt:
    | ((ms: number) => { daysBeforeMaintenance: number; mileageBeforeMaintenance: number } | null)
    | null;
  /** The instant described: the pending trip's last second is not its key-off. */
  atMs: number;
};

type TripMemo = {
  trace: DriveTrace;
  privacy: PrivacyState;
  startMileageKm: number;
  odometerScale: number;
  /** First sample at which the doors are locked (speed ≥ AUTO_LOCK_KMH), or Infinity. */
  lockIndex: number;
};

function embeddedExtension(
  location: ReturnType<typeof locationOf> | null,
  maintenance: { daysBeforeMaintenance: number; mileageBeforeMaintenance: number } | null,
) {
  if (!location && !maintenance) return {};
  return {
    _embedded: {
      extension: {
        ...(location ? { location } : {}),
        ...(maintenance
          ? {
              maintenance: {
                daysBeforeMaintenance: maintenance.daysBeforeMaintenance,
                mileageBeforeMaintenance: maintenance.mileageBeforeMaintenance,
              },
            }
          : {}),
      },
    },
  };
}

/** Which blocks a `type` filter asks for; `vehicle` means every vehicle block. */
function blockFilter(types: readonly string[]) {
  const all = types.length === 0;
  const vehicleAll = all || types.includes('vehicle');
  return {
    has: (type: string) => all || types.includes(type) || (type.startsWith('vehicle.') && vehicleAll),
    // kinetic and odometer have no type of their own in TelemetryEnum 4.17: they come with any
    // vehicle block (the reference example, `type=vehicle.engines&type=vehicle.energies`, shows kinetic).
    anyVehicle: vehicleAll || types.some((type) => type.startsWith('vehicle.')),
  };
}

function enginesAt(model: VehicleModel, trace: DriveTrace, i: number) {
  const rpm = Math.round(trace.engineRpm[i] ?? 0);
  if (model.powertrain === 'electric') return [{ type: 'Electric' as const, speed: rpm }];
  if (model.powertrain !== 'hybrid') return [{ type: 'Thermic' as const, speed: rpm }];
  // The hybrid's motor sits at the gearbox input: it turns with the wheels in the current gear.
  const gear = trace.gear[i] ?? 0;
  const motorRpm = gear > 0 ? kinematicRpm(model, gear, (trace.speedKmh[i] ?? 0) / 3.6) : 0;
  return [
    { type: 'Thermic' as const, speed: rpm },
    { type: 'Electric' as const, speed: Math.round(motorRpm) },
  ];
}

function energiesBlock(model: VehicleModel, trace: DriveTrace, i: number) {
  return energiesAt(model, trace, i).map((energy) =>
    energy.type === 'Fuel'
      ? {
          ...energy,
          extension: {
            fuel: {
              consumption: {
                consumption: instantFuelLPer100km(trace.fuelRateLph[i] ?? 0, trace.speedKmh[i] ?? 0),
              },
            },
          },
        }
      : energy,
  );
}

/** Renders telemetry items; trip-level facts are computed once per trip per request. */
export function telemetryRenderer(input: TelemetryRenderInput) {
  const { apiBase, vehicle, timeline, seed, atMs } = input;
  const model = timeline.model;
  const blocks = blockFilter(input.types);
  const carUrl = vehicleUrl(apiBase, vehicle.id);
  const memos = new Map<string, TripMemo>();

  const memoOf = (trip: TripRecord): TripMemo => {
    const known = memos.get(trip.id);
    if (known) return known;
    const trace = timeline.traceOf(trip);
    const lock = trace.speedKmh.findIndex((speed) => speed >= AUTO_LOCK_KMH);
    const memo = {
      trace,
      privacy: tripPrivacy(seed, vehicle, trip),
      startMileageKm: timeline.stateAt(trip.startMs).odometerKm,
      odometerScale: timeline.odometerScaleAt(trip.startMs),
      lockIndex: lock < 0 ? Number.POSITIVE_INFINITY : lock,
    };
    memos.set(trip.id, memo);
    return memo;
  };

  return ({ trip, index }: TelemetryItem) => {
    const memo = memoOf(trip);
    const { trace } = memo;
    // Sample counts come from the record; a one-sample trace is the only case they could differ.
    const i = Math.min(index, trace.speedKmh.length - 1);
    const ms = trip.startMs + index * 1000;
    const speed = trace.speedKmh[i] ?? 0;
    const distanceKm = trace.distanceKm[i] ?? 0;
    const place = input.location ? timeline.positionOnTrip(trip, distanceKm) : null;
    const keyOff = atMs >= trip.endMs && ms >= trip.endMs;

    const vehicleBlock = {
      ...(blocks.has('vehicle.engines') ? { engines: enginesAt(model, trace, i) } : {}),
      ...(blocks.has('vehicle.energies') ? { energies: energiesBlock(model, trace, i) } : {}),
      ...(blocks.has('vehicle.transmission') && model.powertrain !== 'electric'
        ? {
            transmission: {
              gearbox: {
                mode: { automatic: transmissionOf(model) === 'automatic' },
                ratio: (trace.gear[i] ?? 0) > 0 ? `Ratio${trace.gear[i]}` : 'Neutral',
              },
            },
          }
        : {}),
      // The road's speed limit as the traffic-sign camera reads it; nothing where none is posted.
      ...(blocks.has('vehicle.adas') && (trace.limitKmh[i] ?? 0) > 0
        ? { adas: { sli: Math.round(trace.limitKmh[i] ?? 0) } }
        : {}),
      ...(blocks.has('vehicle.ignition')
        ? { ignition: { type: index === 0 ? 'StartUp' : keyOff ? 'Stop' : 'Start' } }
        : {}),
      ...(blocks.has('vehicle.doorsState')
        ? {
            doorsState: {
              lockedStates: [i >= memo.lockIndex ? 'Locked' : 'Unlocked'],
              opening: DOORS.map((identifier) => ({ identifier, state: 'Closed' })),
            },
          }
        : {}),
      ...(blocks.has('vehicle.safety')
        ? { safety: { beltStatus: [{ belt: 'Normal', id: 'Driver' }], autoECallTriggering: 'NotDetected' } }
        : {}),
      ...(blocks.anyVehicle
        ? {
            odometer: { mileage: round1(memo.startMileageKm + distanceKm * memo.odometerScale) },
            kinetic: {
              acceleration: Math.round((trace.accelerationMs2[i] ?? 0) * 100) / 100,
              speed: round1(speed),
              moving: speed > 0.5,
            },
          }
        : {}),
      // Someone is driving: the anti-theft alarm is off.
      ...(blocks.has('vehicle.alarm.status') ? { alarm: { status: { activation: 'Inactive' } } } : {}),
    };

    return {
      createdAt: rfc3339(ms),
      _links: {
        // A message has no id: its own link is the collection narrowed to its second.
        self: link(`${carUrl}/telemetry?timestamps=${rfc3339(ms)}/${rfc3339(ms + 1000)}`),
        vehicle: link(carUrl),
        trip: link(`${carUrl}/trips/${trip.id}`),
      },
      ...(blocks.has('privacy') ? { privacy: { state: memo.privacy } } : {}),
      // Daylight at home: the car stays within ≈ 30 km of it, a minute of sunrise at most.
      ...(blocks.has('environment')
        ? {
            environment: {
              air: { temp: round1(trace.outsideTempC) },
              luminosity: { day: isDaylight(ms, timeline.home.lat, timeline.home.lon) },
            },
          }
        : {}),
      ...(Object.keys(vehicleBlock).length > 0 ? { vehicle: vehicleBlock } : {}),
      ...embeddedExtension(
        input.location && place && memo.privacy === 'None' ? locationOf(place, ms) : null,
        input.maintenanceAt?.(ms) ?? null,
      ),
    };
  };
}
