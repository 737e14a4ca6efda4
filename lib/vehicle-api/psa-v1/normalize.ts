import 'server-only';
import type { Alert, EcoEvaluation, Maintenance, Sample, SampleField, Trip } from '../../telemetry/model';
import { alertSeverityOf } from './alert-severity';
import type {
  PsaV1AlertReferential,
  PsaV1EcoDayEvaluation,
  PsaV1EcoEvaluation,
  PsaV1EcoMonthEvaluation,
  PsaV1EcoTripEvaluation,
  PsaV1Environment,
  PsaV1Maintenance,
  PsaV1MaintenanceAlert,
  PsaV1Position,
  PsaV1RunningData,
  PsaV1Trip,
} from './schema';
import { parsePsaV1Instant } from './time';

// PSA v1 answers → Kinetic's normalised records (lib/telemetry/model.ts). Pure functions: no I/O,
// no clock. The decisions, with their sources:
//
// Time of a per-second map. vehicle-apis.md §7: "[infer] the map keys are the second within the last
// sampled minute"; docs/simulator.md ("v1", Telemetry) states it: key "s" is `report − 60 s + s`, the
// report being the minute's end. Kinetic reads every map that way: second s of a minute ending at E
// is at E − 60 s + s (second 60 is E itself). Running data carries no `lastUpdate` in the spec, so
// its minute's end is taken from the answers about the same last minute that do (environment, last
// position): the provider passes it in.
//
// Units. The spec states none (§7). Kinetic asks `unit=0` (metric) wherever the parameter exists and
// reads: km, km/h, L, L/100 km, °C, %, rpm, m/s² (accelerationVeh; docs/simulator.md: "m/s², every
// second"), metres of altitude, seconds of trip duration ([infer]: the simulator's `tripDuration` is
// seconds; a minute count would make every average speed 60 times too high, which validation's
// ranges would then catch).
//
// Electric cars. v1 writes an electric car's trip fuel amounts as 0 and its engineSpeed as the
// traction motor's speed (docs/simulator.md "v1"): neither is an engine measurement, so for a car
// known to have no tank (`hasTank: false`) no fuel amount and no engine rpm is recorded.
//
// Positions. A null or missing coordinate (the spec's `near` note: a second without a fix) gives no
// latitude/longitude for that second; a sample needs both.

const MINUTE_MS = 60_000;
const SECOND_MS = 1000;

export type SampleFields = Partial<Pick<Sample, SampleField>>;

/**
 * Collects the values of one car by instant, from several answers, into one sample per instant: the
 * natural key of a sample is vehicle + time, so two records for one instant would overwrite each
 * other downstream. The first value of a field wins; the refs of every answer that contributed are
 * kept in `source.ref`.
 */
export class SampleCollector {
  private readonly byInstant = new Map<number, { fields: SampleFields; refs: Set<string> }>();

  put(at: number, fields: SampleFields, ref: string): void {
    const defined = Object.entries(fields).filter(([, value]) => value !== undefined);
    if (defined.length === 0 || !Number.isFinite(at)) return;
    let entry = this.byInstant.get(at);
    if (!entry) {
      entry = { fields: {}, refs: new Set() };
      this.byInstant.set(at, entry);
    }
    const target = entry.fields as Record<string, unknown>;
    for (const [name, value] of defined) if (!(name in target)) target[name] = value;
    entry.refs.add(ref);
  }

  samples(): Sample[] {
    return [...this.byInstant.entries()]
      .sort(([a], [b]) => a - b)
      .map(([at, { fields, refs }]) => ({
        at,
        ...fields,
        source: { provider: 'psa-v1' as const, ref: [...refs].join('+').slice(0, 500) },
      }));
  }
}

/** Second `second` (1–60) of the minute ending at `minuteEndMs`. */
export const secondAt = (minuteEndMs: number, second: number): number =>
  minuteEndMs - MINUTE_MS + second * SECOND_MS;

/** The entries of a per-second map, its keys as numbers. */
function entriesOf<V>(map: Partial<Record<string, V>> | undefined): [number, V][] {
  if (!map) return [];
  const out: [number, V][] = [];
  for (const [key, value] of Object.entries(map)) {
    if (value !== undefined) out.push([Number(key), value as V]);
  }
  return out;
}

/** The epoch ms of an optional v1 date; null when absent, empty or unreadable. */
export function instantOf(text: string | null | undefined): number | null {
  if (text === undefined || text === null || text === '') return null;
  return parsePsaV1Instant(text);
}

export type CarTraits = {
  /** false for a car known to have no fuel tank (electric); undefined when unknown. */
  hasTank?: boolean;
};

/** `GET /running/data/{vin}`: the minute ending at `minuteEndMs`. */
export function collectRunningData(
  into: SampleCollector,
  running: PsaV1RunningData,
  minuteEndMs: number,
  traits: CarTraits = {},
  ref = 'running/data',
): void {
  for (const [second, value] of entriesOf(running.accelerationVeh)) {
    into.put(secondAt(minuteEndMs, second), { accelerationMs2: value }, ref);
  }
  for (const [second, value] of entriesOf(running.modeBV)) {
    // modeBV [infer: "BV" = boîte de vitesses]: the gear engaged, 0 neutral or parked (docs/simulator.md).
    into.put(secondAt(minuteEndMs, second), { gear: value }, ref);
  }
  if (traits.hasTank !== false) {
    for (const [second, value] of entriesOf(running.engineSpeed)) {
      into.put(secondAt(minuteEndMs, second), { engineRpm: value }, ref);
    }
    for (const [second, value] of entriesOf(running.instFuelConsumption)) {
      into.put(secondAt(minuteEndMs, second), { fuelConsumptionLPer100km: value }, ref);
    }
  }
  // fuelLevel has no second: it is the level at the report, the minute's end [infer]; percent.
  if (running.fuelLevel !== undefined) into.put(minuteEndMs, { fuelLevelPct: running.fuelLevel }, ref);
}

/** The minute end an answer states (`lastUpdate`), or null. */
export const minuteEndOf = (answer: { lastUpdate?: string | undefined }): number | null =>
  instantOf(answer.lastUpdate);

/** `GET /environment/get/{vin}`: the outside temperature at second 41. */
export function collectEnvironment(
  into: SampleCollector,
  environment: PsaV1Environment,
  minuteEndMs: number,
  ref = 'environment/get',
): void {
  for (const [second, value] of entriesOf(environment.exteriorTemp)) {
    into.put(secondAt(minuteEndMs, second), { outsideTempC: value }, ref);
  }
}

/** The fixes of a position block whose second 0 is `minuteStartMs`, in time order. */
export function positionFixes(
  block: PsaV1Position,
  minuteStartMs: number,
): { at: number; latitude: number; longitude: number; altitudeM?: number }[] {
  const fixes: { at: number; latitude: number; longitude: number; altitudeM?: number }[] = [];
  for (const [second, latitude] of entriesOf(block.latitude)) {
    const longitude = block.longitude?.[String(second)];
    if (latitude === null || longitude === null || longitude === undefined) continue;
    const altitude = block.altitude?.[String(second)];
    fixes.push({
      at: minuteStartMs + second * SECOND_MS,
      latitude,
      longitude,
      ...(altitude === null || altitude === undefined ? {} : { altitudeM: altitude }),
    });
  }
  return fixes.sort((a, b) => a.at - b.at);
}

/** `GET /place/lastposition/{vin}`: the fixes of the minute ending at its `lastUpdate`. */
export function collectLastPosition(
  into: SampleCollector,
  block: PsaV1Position,
  minuteEndMs: number,
  ref = 'place/lastposition',
): void {
  for (const { at, ...fields } of positionFixes(block, minuteEndMs - MINUTE_MS)) into.put(at, fields, ref);
}

/**
 * `GET /place/positions/trip/{vin}?tripid=`: one block per minute of the trip. A block's minute ends
 * at its `lastUpdate`, except that a minute cannot begin before the trip did nor before the previous
 * block's minute ended: the last block of a trip ends at key-off and may be shorter than a minute
 * (docs/simulator.md "v1": "one such block per minute of the trip"). Blocks without `lastUpdate` are
 * skipped: they cannot be placed in time.
 */
export function tripPositionFixes(blocks: readonly PsaV1Position[], tripStartMs: number) {
  const ordered = blocks
    .map((block) => ({ block, endMs: minuteEndOf(block) }))
    .filter((entry): entry is { block: PsaV1Position; endMs: number } => entry.endMs !== null)
    .sort((a, b) => a.endMs - b.endMs);
  let previousEndMs = tripStartMs;
  const fixes: ReturnType<typeof positionFixes> = [];
  for (const { block, endMs } of ordered) {
    const startMs = Math.max(endMs - MINUTE_MS, previousEndMs);
    fixes.push(...positionFixes(block, startMs).filter((fix) => fix.at <= endMs));
    previousEndMs = endMs;
  }
  return fixes;
}

/** `GET /maintenance/{vin}` as a sample: the odometer and fuel level at its `lastUpdate`. */
export function collectMaintenanceReadings(
  into: SampleCollector,
  maintenance: PsaV1Maintenance,
  ref = 'maintenance',
): void {
  const at = minuteEndOf(maintenance);
  if (at === null) return;
  into.put(
    at,
    { odometerKm: maintenance.maintenance?.totMileage, fuelLevelPct: maintenance.fuel?.fuelLevel },
    ref,
  );
}

/** `GET /maintenance/{vin}` → days and km before the next service, at its `lastUpdate`. */
export function normalizeMaintenance(
  maintenance: PsaV1Maintenance,
  fallbackAt: number | null,
): Maintenance | null {
  const at = minuteEndOf(maintenance) ?? fallbackAt;
  const service = maintenance.maintenance;
  if (at === null || !service) return null;
  if (service.dayBeforeMaint === undefined && service.mileageBeforeMaint === undefined) return null;
  return {
    at,
    ...(service.dayBeforeMaint === undefined
      ? {}
      : { daysBeforeService: Math.round(service.dayBeforeMaint) }),
    ...(service.mileageBeforeMaint === undefined ? {} : { kmBeforeService: service.mileageBeforeMaint }),
    source: { provider: 'psa-v1', ref: `maintenance/${maintenance.vin}` },
  };
}

type Fix = { at: number; latitude: number; longitude: number };

/**
 * A v1 trip → Trip. `tripId` (a number) becomes the string id; the trip ends `tripDuration` seconds
 * after `dateTripBegin` (else at `dateUpdate`, when the trip's record was last written); `totMileage`
 * is the odometer at the end, and the start odometer is that minus `tripMileage`. `geoLocalisation`
 * is read as where the trip ended [infer: the spec does not say; the record is written at key-off,
 * where the car then stands, and docs/simulator.md writes it so]. With the trip's positions
 * (`fixes`), its first and last fix give the start and end positions instead.
 */
export function normalizeTrip(
  trip: PsaV1Trip,
  traits: CarTraits = {},
  fixes: readonly Fix[] = [],
): Trip | null {
  const startedAt = parsePsaV1Instant(trip.dateTripBegin);
  if (startedAt === null) return null;
  const endedAt =
    trip.tripDuration === undefined ? instantOf(trip.dateUpdate) : startedAt + trip.tripDuration * SECOND_MS;
  const first = fixes[0];
  const last = fixes.at(-1);
  const end =
    last ??
    (trip.geoLocalisation
      ? { latitude: trip.geoLocalisation.latitude, longitude: trip.geoLocalisation.longitude }
      : undefined);
  const startOdometer =
    trip.totMileage !== undefined && trip.tripMileage !== undefined
      ? Math.max(0, trip.totMileage - trip.tripMileage)
      : undefined;
  return {
    providerTripId: String(trip.tripId),
    startedAt,
    ...(endedAt === null ? {} : { endedAt }),
    ...(trip.tripMileage === undefined ? {} : { distanceKm: trip.tripMileage }),
    ...(trip.tripDuration === undefined ? {} : { durationS: trip.tripDuration }),
    ...(startOdometer === undefined ? {} : { startOdometerKm: startOdometer }),
    ...(trip.totMileage === undefined ? {} : { endOdometerKm: trip.totMileage }),
    ...(trip.avgSpeed === undefined ? {} : { avgSpeedKmh: trip.avgSpeed }),
    ...(traits.hasTank === false || trip.tripFuelConsumption === undefined
      ? {}
      : { fuelUsedL: trip.tripFuelConsumption }),
    ...(first ? { startPosition: { latitude: first.latitude, longitude: first.longitude } } : {}),
    ...(end ? { endPosition: { latitude: end.latitude, longitude: end.longitude } } : {}),
    source: { provider: 'psa-v1', ref: `trip/id/${trip.vin}/${trip.tripId}` },
  };
}

// --- Alerts ----------------------------------------------------------------------------------------

/** How v1's localized alert texts map back to alert codes (GET /referential/alert). */
export type AlertCodeIndex = {
  /** The code of an alert title in a category, or null when the catalogue does not know it. */
  codeOf(title: string, category: string | undefined): string | null;
};

const fold = (text: string) => text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The referential lists every alert code with its title (`indicatorLabel`) and group (`rgrpLabel`) in
 * the asked locale; an alert item carries the same title (`alert`) and group (`category`)
 * (vehicle-apis.md §7; docs/simulator.md "v1": "the same words as indicatorLabel and rgrpLabel").
 * Titles are matched with their group first, then alone when the title is unique in the catalogue;
 * case and spacing are ignored.
 */
export function alertCodeIndex(referential: PsaV1AlertReferential): AlertCodeIndex {
  const byTitleAndGroup = new Map<string, string>();
  const byTitle = new Map<string, string | null>();
  for (const row of referential) {
    byTitleAndGroup.set(`${fold(row.indicatorLabel)}\u0000${fold(row.rgrpLabel)}`, row.indicatorCode);
    const title = fold(row.indicatorLabel);
    const known = byTitle.get(title);
    // A title shared by two codes cannot name one of them alone.
    byTitle.set(title, known === undefined || known === row.indicatorCode ? row.indicatorCode : null);
  }
  return {
    codeOf(title, category) {
      if (category !== undefined) {
        const code = byTitleAndGroup.get(`${fold(title)}\u0000${fold(category)}`);
        if (code) return code;
      }
      return byTitle.get(fold(title)) ?? null;
    },
  };
}

/** Prefix of the type of an alert whose title the catalogue does not know: the title is kept. */
export const UNMAPPED_ALERT_PREFIX = 'v1-title:';

/** A v1 alert item → Alert: type by the catalogue, severity by ./alert-severity, active from `alertState`. */
export function normalizeAlert(
  item: PsaV1MaintenanceAlert,
  vin: string,
  codes: AlertCodeIndex,
): Alert | null {
  const startedAt = parsePsaV1Instant(item.dateAlertBegin);
  if (startedAt === null) return null;
  const endedAt = instantOf(item.dateAlertEnd);
  const code = codes.codeOf(item.alert, item.category);
  return {
    providerAlertId: item.idAlert,
    type: code ?? `${UNMAPPED_ALERT_PREFIX}${item.alert}`.slice(0, 100),
    severity: alertSeverityOf(code),
    active: item.alertState === 1,
    startedAt,
    ...(endedAt === null ? {} : { endedAt }),
    source: { provider: 'psa-v1', ref: `maintenance/alert/${vin}` },
  };
}

/** When an alert item last changed: `dateUpdate`, else its end or start. */
export function alertUpdatedAt(item: PsaV1MaintenanceAlert): number | null {
  return instantOf(item.dateUpdate) ?? instantOf(item.dateAlertEnd) ?? instantOf(item.dateAlertBegin);
}

// --- Eco-driving evaluations -------------------------------------------------------------------------

/**
 * The marks' scale. The v1 spec does not document it (vehicle-apis.md §8: "Numbers: scale not
 * documented"); its successor, v4.0 ECoaching, scores 0..10 (§8 item 2), and docs/simulator.md ("v1",
 * eco-driving) states "Marks are 0–10 with one decimal". So 10 — unless a mark of the answer is above
 * 10, which proves that answer uses another scale: then 100, the ceiling Kinetic's schema allows for
 * marks (schema/ecodriving.ts). `drivingAttitude` (1 calm … 4 aggressive) and `roadProfile` (1 urban …
 * 4 motorway) are categories, not marks on that scale, so they are not criteria.
 */
export const PSA_V1_ECO_SCALE_MAX = 10;
const ECO_FALLBACK_SCALE_MAX = 100;

const CRITERIA = [
  'acceleration',
  'braking',
  'engineSpeed',
  'stopAndStart',
  'speed',
  'slope',
  'coldTrips',
] as const;
/** Criteria about a combustion engine: they do not apply to an electric car (no engine). */
const ENGINE_CRITERIA: ReadonlySet<string> = new Set(['engineSpeed', 'stopAndStart', 'coldTrips']);

function marksOf(evaluation: PsaV1EcoEvaluation, traits: CarTraits) {
  const criteria: Record<string, number> = {};
  const detailed = evaluation.detailedEvaluation;
  for (const name of CRITERIA) {
    const value = detailed?.[name];
    if (value === undefined) continue;
    if (traits.hasTank === false && ENGINE_CRITERIA.has(name)) continue;
    criteria[name] = value;
  }
  const mark = evaluation.globalEvaluation?.drivingMark;
  const all = [...Object.values(criteria), ...(mark === undefined ? [] : [mark])];
  const scaleMax = all.some((value) => value > PSA_V1_ECO_SCALE_MAX)
    ? ECO_FALLBACK_SCALE_MAX
    : PSA_V1_ECO_SCALE_MAX;
  return { ...(mark === undefined ? {} : { mark }), scaleMax, criteria };
}

/** One trip's evaluation; `at` is its `lastUpdate`, else the trip's end when known. */
export function normalizeEcoTrip(
  evaluation: PsaV1EcoTripEvaluation,
  traits: CarTraits = {},
  tripEndedAt: number | null = null,
): EcoEvaluation | null {
  const at = minuteEndOf(evaluation) ?? tripEndedAt;
  if (at === null) return null;
  return {
    at,
    scope: { kind: 'trip', providerTripId: String(evaluation.tripId) },
    ...marksOf(evaluation, traits),
    source: {
      provider: 'psa-v1',
      ref: `ecodriving/evaluation/pertrip/${evaluation.vin}/${evaluation.tripId}`,
    },
  };
}

const dayText = (yyyymmdd: number) => {
  const text = String(yyyymmdd);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
};

/** One day's aggregate (`dateAggr` yyyyMMdd); `at` is its `lastUpdate`, else the day's end. */
export function normalizeEcoDay(
  evaluation: PsaV1EcoDayEvaluation,
  traits: CarTraits = {},
): EcoEvaluation | null {
  const day = dayText(evaluation.globalEvaluation.dateAggr);
  const at = minuteEndOf(evaluation) ?? Date.parse(`${day}T23:59:59Z`);
  if (Number.isNaN(at)) return null;
  return {
    at,
    scope: { kind: 'day', day },
    ...marksOf(evaluation, traits),
    source: { provider: 'psa-v1', ref: `ecodriving/evaluation/trip/day/${evaluation.vin}` },
  };
}

/** One month's aggregate (`dateAggr` yyyyMM); `at` is its `lastUpdate`, else the month's end. */
export function normalizeEcoMonth(
  evaluation: PsaV1EcoMonthEvaluation,
  traits: CarTraits = {},
): EcoEvaluation | null {
  const text = String(evaluation.globalEvaluation.dateAggr);
  const month = `${text.slice(0, 4)}-${text.slice(4, 6)}`;
  const year = Number(text.slice(0, 4));
  const monthIndex = Number(text.slice(4, 6));
  const at = minuteEndOf(evaluation) ?? Date.UTC(year, monthIndex, 1) - SECOND_MS;
  return {
    at,
    scope: { kind: 'month', month },
    ...marksOf(evaluation, traits),
    source: { provider: 'psa-v1', ref: `ecodriving/evaluation/trip/month/${evaluation.vin}` },
  };
}

/** The evaluation of all the car's trips; null without `lastUpdate` (it cannot be placed in time). */
export function normalizeEcoAll(
  evaluation: PsaV1EcoEvaluation,
  traits: CarTraits = {},
): EcoEvaluation | null {
  const at = minuteEndOf(evaluation);
  if (at === null) return null;
  return {
    at,
    scope: { kind: 'all' },
    ...marksOf(evaluation, traits),
    source: { provider: 'psa-v1', ref: `ecodriving/evaluation/get/${evaluation.vin}` },
  };
}
