import 'server-only';
import type { z } from 'zod';
import { UpstreamBodyError, type UpstreamHttp, type UpstreamMethod } from '../http/upstream';
import {
  PsaV1ConfigurationError,
  PsaV1MalformedAnswerError,
  PsaV1NotFoundError,
  PsaV1RateLimitedError,
  PsaV1UpstreamError,
  retryAfterMs,
} from './errors';
import {
  psaV1AlertReferentialSchema,
  psaV1EcoDayEvaluationsSchema,
  psaV1EcoEvaluationListSchema,
  psaV1EcoEvaluationSchema,
  psaV1EcoMonthEvaluationsSchema,
  psaV1EcoTripEvaluationSchema,
  psaV1EcoTripEvaluationsSchema,
  psaV1EnvironmentListSchema,
  psaV1EnvironmentSchema,
  psaV1GatewayErrorSchema,
  psaV1LightStatusListSchema,
  psaV1LightStatusSchema,
  psaV1ListRequestSchema,
  psaV1MaintenanceAlertListSchema,
  psaV1MaintenanceAlertsSchema,
  psaV1MaintenanceListSchema,
  psaV1MaintenanceSchema,
  psaV1PositionSchema,
  psaV1RunningDataListSchema,
  psaV1RunningDataSchema,
  psaV1TripPositionsSchema,
  psaV1TripSchema,
  psaV1TripsSchema,
} from './schema';

// A thin client of the PSA "Connected Car Development" v1 API (1.0.5; vehicle-apis.md §7–8): one
// method per operation Kinetic uses, every answer parsed with Kinetic's own schemas (./schema),
// every refusal mapped to a typed error (./errors). It speaks HTTP through an injected
// `UpstreamHttp`, so the resilience layer (retries, Retry-After, circuit breaker) wraps it from
// outside; it never retries by itself.
//
// What every call sends:
// - `client_id`: the application key, the spec's only security (API key in the query);
// - `contract` for per-car calls (the spec marks it required), the VIN in the path;
// - `locale` and `brand` on the labelled operations (maintenance, alerts, eco-driving, referentials):
//   the alert texts must be asked in the same locale and brand as the referential that maps them
//   back to codes;
// - `unit=0` on trip and maintenance operations (their distances and volumes follow it), always: the spec states no units, `0` asks for the metric system
//   (`1` imperial) and Kinetic stores metric; the telemetry operations take no `unit` and are read as
//   metric (docs/simulator.md "v1": "These operations take no `unit`: their values are metric");
// - `near=0` on position operations (the spec marks `near` required): a second with no fix stays
//   empty instead of borrowing the next fix, so every position is placed at the second it was taken.

/** `P` Peugeot, `C` Citroën or DS (the spec's `brand`). */
export type PsaV1BrandLetter = 'P' | 'C';

/** One car as v1 names it. */
export type PsaV1Car = { vin: string; contract: string; brand: PsaV1BrandLetter };

export type PsaV1ClientOptions = {
  /** e.g. `https://api.mpsa.com/api/dev/connectedcar/v1` (no trailing slash needed). */
  baseUrl: string;
  apiKey: string;
  http: UpstreamHttp;
  /** `fr_FR` style; English (`en_GB`) by default. */
  locale?: string;
  timeoutMs?: number;
  /** The clock `Retry-After` dates are read against. */
  now?: () => number;
};

/** The spec's answer to `listvin`/`listcontract`: at most this many cars per call [infer: docs/simulator.md]. */
export const PSA_V1_LIST_MAX_CARS = 100;

type Query = Record<string, string | number | undefined>;

type Call = {
  method: UpstreamMethod;
  /** The spec's path template, for errors and logs: never the URL, which carries the key. */
  operation: string;
  path: string;
  query?: Query;
  body?: unknown;
};

export type PsaV1Client = ReturnType<typeof createPsaV1Client>;

export function createPsaV1Client(options: PsaV1ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const locale = options.locale ?? 'en_GB';
  const now = options.now ?? Date.now;

  async function call<S extends z.ZodType>({ method, operation, path, query = {}, body }: Call, schema: S) {
    const url = new URL(`${base}${path}`);
    url.searchParams.set('client_id', options.apiKey);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const label = `${method} ${operation}`;
    let response: Awaited<ReturnType<UpstreamHttp['request']>>;
    try {
      response = await options.http.request({
        url: url.toString(),
        method,
        ...(body === undefined ? {} : { body }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
    } catch (error) {
      if (error instanceof UpstreamBodyError) {
        throw new PsaV1MalformedAnswerError(label, error.status, 'the answer is not JSON', { cause: error });
      }
      throw error;
    }
    if (response.status < 200 || response.status > 299) throw refusal(label, response);
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') || '(root)';
      throw new PsaV1MalformedAnswerError(
        label,
        response.status,
        `the answer does not match the schema at ${where}`,
        {
          cause: parsed.error,
        },
      );
    }
    return parsed.data as z.infer<S>;
  }

  function refusal(label: string, response: Awaited<ReturnType<UpstreamHttp['request']>>) {
    const gateway = psaV1GatewayErrorSchema.safeParse(response.body);
    // The gateway's own words when it sent its error body; the status alone otherwise.
    const message = gateway.success
      ? `${response.status} ${gateway.data.httpMessage}${gateway.data.moreInformation ? ` (${gateway.data.moreInformation})` : ''}`
      : `HTTP ${response.status}`;
    switch (response.status) {
      case 401:
        return new PsaV1ConfigurationError(label, 401, `the API key was refused: ${message}`);
      case 404:
        return new PsaV1NotFoundError(
          label,
          404,
          `no such car for this key and contract, or no data: ${message}`,
        );
      case 429:
        return new PsaV1RateLimitedError(
          label,
          retryAfterMs(response.headers.get('retry-after'), now()),
          message,
        );
      default:
        return new PsaV1UpstreamError(label, response.status, message);
    }
  }

  const carQuery = (car: PsaV1Car): Query => ({ contract: car.contract });
  const labelled = (brand: PsaV1BrandLetter): Query => ({ locale, brand });
  const secondsQuery = (listSecond?: readonly number[]): Query =>
    listSecond === undefined ? {} : { listsecond: listSecond.join(',') };
  const vin = (car: PsaV1Car) => encodeURIComponent(car.vin);

  /**
   * A POST `…/list` twin over many cars: one call per brand letter (the query names one brand) and
   * per PSA_V1_LIST_MAX_CARS cars, answers concatenated in the order asked.
   */
  async function perBrandChunks<T>(
    cars: readonly PsaV1Car[],
    send: (body: { listvin: string[]; listcontract: string[] }, brand: PsaV1BrandLetter) => Promise<T[]>,
  ): Promise<T[]> {
    const out: T[] = [];
    for (const brand of ['P', 'C'] as const) {
      const ofBrand = cars.filter((car) => car.brand === brand);
      for (let start = 0; start < ofBrand.length; start += PSA_V1_LIST_MAX_CARS) {
        const chunk = ofBrand.slice(start, start + PSA_V1_LIST_MAX_CARS);
        const body = psaV1ListRequestSchema.parse({
          listvin: chunk.map((car) => car.vin),
          listcontract: chunk.map((car) => car.contract),
        });
        out.push(...(await send(body, brand)));
      }
    }
    return out;
  }

  return {
    locale,

    // --- Telemetry: the car's last sampled minute ---------------------------------------------------

    runningData: (car: PsaV1Car, listSecond?: readonly number[]) =>
      call(
        {
          method: 'GET',
          operation: '/running/data/{vin}',
          path: `/running/data/${vin(car)}`,
          query: { ...carQuery(car), ...secondsQuery(listSecond) },
        },
        psaV1RunningDataSchema,
      ),
    runningDataList: (cars: readonly PsaV1Car[], listSecond?: readonly number[]) =>
      perBrandChunks(cars, (body) =>
        call(
          {
            method: 'POST',
            operation: '/running/list',
            path: '/running/list',
            query: secondsQuery(listSecond),
            body,
          },
          psaV1RunningDataListSchema,
        ),
      ),
    lightStatus: (car: PsaV1Car, listSecond?: readonly number[]) =>
      call(
        {
          method: 'GET',
          operation: '/running/data/lightstatus/{vin}',
          path: `/running/data/lightstatus/${vin(car)}`,
          query: { ...carQuery(car), ...secondsQuery(listSecond) },
        },
        psaV1LightStatusSchema,
      ),
    lightStatusList: (cars: readonly PsaV1Car[], listSecond?: readonly number[]) =>
      perBrandChunks(cars, (body) =>
        call(
          {
            method: 'POST',
            operation: '/running/lightstatus/list',
            path: '/running/lightstatus/list',
            query: secondsQuery(listSecond),
            body,
          },
          psaV1LightStatusListSchema,
        ),
      ),
    environment: (car: PsaV1Car, listSecond?: readonly number[]) =>
      call(
        {
          method: 'GET',
          operation: '/environment/get/{vin}',
          path: `/environment/get/${vin(car)}`,
          query: { ...carQuery(car), ...secondsQuery(listSecond) },
        },
        psaV1EnvironmentSchema,
      ),
    environmentList: (cars: readonly PsaV1Car[], listSecond?: readonly number[]) =>
      perBrandChunks(cars, (body) =>
        call(
          {
            method: 'POST',
            operation: '/environment/list',
            path: '/environment/list',
            query: secondsQuery(listSecond),
            body,
          },
          psaV1EnvironmentListSchema,
        ),
      ),
    lastPosition: (car: PsaV1Car) =>
      call(
        {
          method: 'GET',
          operation: '/place/lastposition/{vin}',
          path: `/place/lastposition/${vin(car)}`,
          query: { ...carQuery(car), near: 0 },
        },
        psaV1PositionSchema,
      ),
    tripPositions: (car: PsaV1Car, tripId: number) =>
      call(
        {
          method: 'GET',
          operation: '/place/positions/trip/{vin}',
          path: `/place/positions/trip/${vin(car)}`,
          query: { ...carQuery(car), tripid: tripId, near: 0 },
        },
        psaV1TripPositionsSchema,
      ),

    // --- Trips (metric: unit=0) ----------------------------------------------------------------------

    lastTrips: (car: PsaV1Car, limit?: number) =>
      call(
        {
          method: 'GET',
          operation: '/trip/last/{vin}',
          path: `/trip/last/${vin(car)}`,
          query: { ...carQuery(car), limit, unit: 0 },
        },
        psaV1TripsSchema,
      ),
    /** Trips that started on the UTC days `from`…`to` (`yyyyMMdd`, both included). */
    periodTrips: (car: PsaV1Car, range: { from: string; to: string; limit?: number }) =>
      call(
        {
          method: 'GET',
          operation: '/trip/period/{vin}',
          path: `/trip/period/${vin(car)}`,
          query: { ...carQuery(car), from: range.from, to: range.to, limit: range.limit, unit: 0 },
        },
        psaV1TripsSchema,
      ),
    tripById: (car: PsaV1Car, tripId: number) =>
      call(
        {
          method: 'GET',
          operation: '/trip/id/{vin}/{tripid}',
          path: `/trip/id/${vin(car)}/${tripId}`,
          query: { ...carQuery(car), unit: 0 },
        },
        psaV1TripSchema,
      ),
    /** Every car's trips of the period in one list, `limit` per car. */
    tripList: (cars: readonly PsaV1Car[], range: { from: string; to: string; limit?: number }) =>
      perBrandChunks(cars, async (body) => {
        const page = await call(
          {
            method: 'POST',
            operation: '/trip/list',
            path: '/trip/list',
            query: { from: range.from, to: range.to, limit: range.limit, unit: 0 },
            body,
          },
          psaV1TripsSchema,
        );
        return page.trips;
      }),

    // --- Maintenance and alerting --------------------------------------------------------------------

    maintenance: (car: PsaV1Car) =>
      call(
        {
          method: 'GET',
          operation: '/maintenance/{vin}',
          path: `/maintenance/${vin(car)}`,
          query: { ...carQuery(car), ...labelled(car.brand), unit: 0 },
        },
        psaV1MaintenanceSchema,
      ),
    maintenanceList: (cars: readonly PsaV1Car[]) =>
      perBrandChunks(cars, (body, brand) =>
        call(
          {
            method: 'POST',
            operation: '/maintenance/list',
            path: '/maintenance/list',
            query: { ...labelled(brand), unit: 0 },
            body,
          },
          psaV1MaintenanceListSchema,
        ),
      ),
    /** The car's alerts still on (`active`) or ended (`!active`). */
    alerts: (car: PsaV1Car, active: boolean) =>
      call(
        {
          method: 'GET',
          operation: '/maintenance/alert/{vin}',
          path: `/maintenance/alert/${vin(car)}`,
          query: { ...carQuery(car), ...labelled(car.brand), active: active ? 1 : 0 },
        },
        psaV1MaintenanceAlertsSchema,
      ),
    alertList: (cars: readonly PsaV1Car[], active: boolean) =>
      perBrandChunks(cars, async (body, brand) => {
        const answer = await call(
          {
            method: 'POST',
            operation: '/maintenance/list/alert',
            path: '/maintenance/list/alert',
            query: { ...labelled(brand), active: active ? 1 : 0 },
            body,
          },
          psaV1MaintenanceAlertListSchema,
        );
        return answer.listAlert;
      }),
    /** The alert catalogue in this client's locale, for `brand`. */
    alertReferential: (brand: PsaV1BrandLetter) =>
      call(
        {
          method: 'GET',
          operation: '/referential/alert',
          path: '/referential/alert',
          query: labelled(brand),
        },
        psaV1AlertReferentialSchema,
      ),

    // --- Eco-driving evaluations ---------------------------------------------------------------------

    ecoAll: (car: PsaV1Car) =>
      call(
        {
          method: 'GET',
          operation: '/ecodriving/evaluation/get/{vin}',
          path: `/ecodriving/evaluation/get/${vin(car)}`,
          query: { ...carQuery(car), ...labelled(car.brand) },
        },
        psaV1EcoEvaluationSchema,
      ),
    ecoAllList: (cars: readonly PsaV1Car[]) =>
      perBrandChunks(cars, (body, brand) =>
        call(
          {
            method: 'POST',
            operation: '/ecodriving/evaluation/list',
            path: '/ecodriving/evaluation/list',
            query: labelled(brand),
            body,
          },
          psaV1EcoEvaluationListSchema,
        ),
      ),
    ecoLastTrip: (car: PsaV1Car) =>
      call(
        {
          method: 'GET',
          operation: '/ecodriving/evaluation/lasttrip/{vin}',
          path: `/ecodriving/evaluation/lasttrip/${vin(car)}`,
          query: { ...carQuery(car), ...labelled(car.brand) },
        },
        psaV1EcoTripEvaluationSchema,
      ),
    ecoTrip: (car: PsaV1Car, tripId: number) =>
      call(
        {
          method: 'GET',
          operation: '/ecodriving/evaluation/pertrip/{vin}/{tripid}',
          path: `/ecodriving/evaluation/pertrip/${vin(car)}/${tripId}`,
          query: { ...carQuery(car), ...labelled(car.brand) },
        },
        psaV1EcoTripEvaluationSchema,
      ),
    /** One evaluation per trip that started on the UTC day `day` (`yyyyMMdd`). */
    ecoDayTrips: (car: PsaV1Car, day: string) =>
      call(
        {
          method: 'GET',
          operation: '/ecodriving/evaluation/daytrips/{vin}',
          path: `/ecodriving/evaluation/daytrips/${vin(car)}`,
          query: { ...carQuery(car), ...labelled(car.brand), day },
        },
        psaV1EcoTripEvaluationsSchema,
      ),
    /** One aggregate per UTC day with trips in `fromday`…`today` (`yyyyMMdd`). */
    ecoPerDay: (car: PsaV1Car, range: { fromDay: string; toDay: string }) =>
      call(
        {
          method: 'GET',
          operation: '/ecodriving/evaluation/trip/day/{vin}',
          path: `/ecodriving/evaluation/trip/day/${vin(car)}`,
          query: { ...carQuery(car), ...labelled(car.brand), fromday: range.fromDay, today: range.toDay },
        },
        psaV1EcoDayEvaluationsSchema,
      ),
    ecoPerDayList: (cars: readonly PsaV1Car[], range: { fromDay: string; toDay: string }) =>
      perBrandChunks(cars, (body, brand) =>
        call(
          {
            method: 'POST',
            operation: '/ecodriving/evaluation/trip/day/list',
            path: '/ecodriving/evaluation/trip/day/list',
            query: { ...labelled(brand), fromday: range.fromDay, today: range.toDay },
            body,
          },
          psaV1EcoDayEvaluationsSchema,
        ),
      ),
    /** One aggregate per UTC month with trips in `frommonth`…`tomonth` (`yyyyMM`). */
    ecoPerMonth: (car: PsaV1Car, range: { fromMonth: string; toMonth: string }) =>
      call(
        {
          method: 'GET',
          operation: '/ecodriving/evaluation/trip/month/{vin}',
          path: `/ecodriving/evaluation/trip/month/${vin(car)}`,
          query: {
            ...carQuery(car),
            ...labelled(car.brand),
            frommonth: range.fromMonth,
            tomonth: range.toMonth,
          },
        },
        psaV1EcoMonthEvaluationsSchema,
      ),
    ecoPerMonthList: (cars: readonly PsaV1Car[], range: { fromMonth: string; toMonth: string }) =>
      perBrandChunks(cars, (body, brand) =>
        call(
          {
            method: 'POST',
            operation: '/ecodriving/evaluation/trip/month/list',
            path: '/ecodriving/evaluation/trip/month/list',
            query: { ...labelled(brand), frommonth: range.fromMonth, tomonth: range.toMonth },
            body,
          },
          psaV1EcoMonthEvaluationsSchema,
        ),
      ),
  };
}
