import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { instantFuelLPer100km } from '../../fleet/energy-readings';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import { ENGINE_ENGAGED, ENGINE_IDLE, ENGINE_OFF } from '../../physics/powertrain';
import { statusResource, type Upload } from '../../v4/status-resources';
import { telemetryRenderer } from '../../v4/telemetry-resources';
import type { SimVehicle } from '../../world/world';
import {
  DRIVING_UPLOAD_MS,
  keysOf,
  peerReportingUnder,
  range,
  recentTrip,
  secondMap,
  uploadAt,
} from '../test-helpers';
import { setupV1Server, V1_TEST_NOW } from '../test-server';

// GET /running/data/{vin} and POST /running/list: the last sampled minute of the powertrain,
// every value checked against the trace at the same second and against v4 at the same instant.

const kit = setupV1Server({ seed: 'v1-telemetry-running' });
const { ctx, combustion, electric } = kit;

const EVERY = range(1, 60);
const TENS = range(10, 60, 10);
const runningSchemaOf = (all: boolean) =>
  z.strictObject({
    accelerationVeh: secondMap(EVERY, z.number(), all).optional(),
    modeBV: secondMap(TENS, z.number().int().min(0).max(8), all),
    engineSpeed: secondMap(TENS, z.number().int().min(0), all),
    fuelLevel: z
      .string()
      .regex(/^\d+\.\d$/)
      .optional(),
    tempOilEng: z
      .string()
      .regex(/^-?\d+\.\d$/)
      .optional(),
    instFuelConsumption: secondMap(TENS, z.string().regex(/^\d+\.\d$/), all).optional(),
    gmpState: z.number().int().min(0).max(3),
    vin: z.string(),
    contract: z.string(),
  });
const runningSchema = runningSchemaOf(true);
type Running = z.infer<typeof runningSchema>;

async function running(vehicle: SimVehicle, query: Record<string, string> = {}): Promise<Running> {
  const body = await kit.expectOk(
    kit.get(`/running/data/${vehicle.vin}`, {
      ...kit.queryOf(vehicle),
      ...query,
    }),
  );
  return runningSchemaOf(!query.listsecond).parse(body) as Running;
}

/** The trace sample of second s of the minute ending at the upload, or null when parked. */
function sampleOf(upload: Upload, second: number): number | null {
  const atMs = upload.atMs - 60_000 + second * 1000;
  const { trip } = upload;
  if (atMs < trip.startMs || atMs > trip.endMs) return null;
  return Math.floor((atMs - trip.startMs) / 1000);
}

/** The v4 status readings v1 must repeat. */
function v4Status(vehicle: SimVehicle, upload: Upload) {
  const status = statusResource(ctx, vehicle, upload, { apiBase: '', telemetry: true, position: false });
  if (!('energies' in status)) throw new Error('status without telemetry');
  const fuel = status.energies.find((energy) => energy.type === 'Fuel');
  const thermic = status.engines.find((engine) => engine.type === 'Thermic');
  return {
    fuelLevel: fuel?.level as number | undefined,
    oilC: thermic && 'extension' in thermic ? thermic.extension.thermic.oil.temp : undefined,
    running: status.powertrain.status === 'Running',
  };
}

/** Every per-second value equals the trace at that second (0 while parked), as v4 reports it. */
function expectTraceValues(vehicle: SimVehicle, body: Running, upload: Upload) {
  const trace = ctx.fleet.timelineOf(vehicle).traceOf(upload.trip);
  const at = (values: ArrayLike<number>, second: number) => {
    const i = sampleOf(upload, second);
    return i === null ? 0 : (values[i] ?? Number.NaN);
  };
  for (const second of EVERY) {
    expect(body.accelerationVeh?.[second]).toBeCloseTo(at(trace.accelerationMs2, second), 2);
  }
  for (const second of TENS) {
    expect(body.engineSpeed[second]).toBe(Math.round(at(trace.engineRpm, second)));
    expect(body.modeBV[second]).toBe(at(trace.gear, second));
    if (body.instFuelConsumption) {
      const expected = instantFuelLPer100km(at(trace.fuelRateLph, second), at(trace.speedKmh, second));
      expect(Number(body.instFuelConsumption[second])).toBeCloseTo(expected, 5);
    }
  }
  const report = sampleOf(upload, 60);
  const mode = report === null ? null : trace.engineMode[report];
  const expectedState = mode === null ? 0 : mode === ENGINE_OFF ? 1 : mode === ENGINE_IDLE ? 2 : 3;
  expect(body.gmpState).toBe(expectedState);
}

/** Moves the clock into a trip, `offsetS` after key-on; returns the report v1's minute ends at. */
function driveInto(trip: TripRecord, offsetS: number): number {
  kit.setNow(trip.startMs + offsetS * 1000);
  return trip.startMs + Math.floor((offsetS * 1000) / DRIVING_UPLOAD_MS) * DRIVING_UPLOAD_MS;
}

describe('PSA v1 GET /running/data/{vin}', () => {
  it('gives a parked petrol 208 the last minute before its key-off report, as v4 tells it', async () => {
    kit.setNow(V1_TEST_NOW);
    const upload = uploadAt(ctx, combustion);
    expect(upload.kind).not.toBe('driving');
    const body = await running(combustion);
    expect(body.vin).toBe(combustion.vin);
    expect(body.contract).toBe(combustion.contract);
    expectTraceValues(combustion, body, upload);
    // Parked at the report: powertrain off, no gear, no revs.
    expect(body.gmpState).toBe(0);
    expect(body.engineSpeed['60']).toBe(0);
    const v4 = v4Status(combustion, upload);
    expect(v4.running).toBe(false);
    expect(Number(body.fuelLevel)).toBe(v4.fuelLevel);
    expect(Number(body.tempOilEng)).toBe(v4.oilC);
  });

  it('follows the petrol 208 mid-trip: the minute ends at the latest 30 s upload', async () => {
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW);
    const reportMs = driveInto(trip, 615);
    const upload = uploadAt(ctx, combustion);
    expect(upload.atMs).toBe(reportMs);
    const body = await running(combustion);
    expectTraceValues(combustion, body, upload);
    // Every second of this minute lies inside the trip: the car drives, the engine turns.
    expect(range(1, 60).every((second) => sampleOf(upload, second) !== null)).toBe(true);
    expect(body.gmpState).toBeGreaterThan(0);
    const trace = ctx.fleet.timelineOf(combustion).traceOf(trip);
    const report = (reportMs - trip.startMs) / 1000;
    expect(body.engineSpeed['60']).toBe(Math.round(trace.engineRpm[report] ?? -1));
    const v4 = v4Status(combustion, upload);
    expect(v4.running).toBe(true);
    expect(Number(body.fuelLevel)).toBe(v4.fuelLevel);
    expect(Number(body.tempOilEng)).toBe(v4.oilC);
    expect(Number(body.fuelLevel)).toBeCloseTo(trace.fuelLevelPct?.[report] ?? -1, 1);
  });

  it('repeats v4 telemetry for the same seconds (engine speed, acceleration, consumption)', async () => {
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW);
    const reportMs = driveInto(trip, 905);
    const body = await running(combustion);
    const timeline = ctx.fleet.timelineOf(combustion);
    const render = telemetryRenderer({
      apiBase: '',
      vehicle: combustion,
      timeline,
      seed: ctx.world.seed,
      types: [],
      location: false,
      maintenanceAt: null,
      atMs: ctx.clock.now(),
    });
    for (const second of TENS) {
      const index = (reportMs - 60_000 + second * 1000 - trip.startMs) / 1000;
      const message = render({ trip, index }) as {
        vehicle: {
          engines: { speed: number }[];
          energies: { type: string; extension?: { fuel: { consumption: { consumption: number } } } }[];
          kinetic: { acceleration: number };
          transmission: { gearbox: { ratio: string } };
        };
      };
      expect(body.engineSpeed[second]).toBe(message.vehicle.engines[0]?.speed);
      expect(body.accelerationVeh?.[second]).toBe(message.vehicle.kinetic.acceleration);
      const fuel = message.vehicle.energies.find((energy) => energy.type === 'Fuel');
      expect(Number(body.instFuelConsumption?.[second])).toBe(fuel?.extension?.fuel.consumption.consumption);
      const ratio = message.vehicle.transmission.gearbox.ratio;
      expect(body.modeBV[second]).toBe(ratio === 'Neutral' ? 0 : Number(ratio.replace('Ratio', '')));
    }
  });

  it('codes gmpState from the engine at the report: stopped, idling or driving the wheels', async () => {
    const hybrid = ctx.world
      .ownerAt(7)
      .vehicles.find((vehicle) => vehicle.powertrain === 'hybrid') as SimVehicle;
    expect(hybrid).toBeDefined();
    const cases: { vehicle: SimVehicle; mode: number; code: number }[] = [
      { vehicle: hybrid, mode: ENGINE_OFF, code: 1 },
      { vehicle: combustion, mode: ENGINE_IDLE, code: 2 },
      { vehicle: combustion, mode: ENGINE_ENGAGED, code: 3 },
    ];
    for (const { vehicle, mode, code } of cases) {
      const trip = recentTrip(ctx, vehicle, V1_TEST_NOW);
      const trace = ctx.fleet.timelineOf(vehicle).traceOf(trip);
      // A 30 s upload (after key-on) at which the engine is in that state.
      const index = trace.engineMode.findIndex((value, i) => i > 0 && i % 30 === 0 && value === mode);
      expect(index, `mode ${mode}`).toBeGreaterThan(0);
      driveInto(trip, index + 5);
      const body = await running(vehicle);
      expect(body.gmpState).toBe(code);
      expect(body.engineSpeed['60']).toBe(Math.round(trace.engineRpm[index] ?? -1));
      expectTraceValues(vehicle, body, uploadAt(ctx, vehicle));
      // Every car with an engine has a tank and oil, a plug-in hybrid too.
      expect(body.fuelLevel).toBeDefined();
      expect(body.tempOilEng).toBeDefined();
    }
  });

  it('reads the seconds before key-on as a parked car', async () => {
    const trip = recentTrip(ctx, combustion, V1_TEST_NOW);
    // 20 s after key-on the latest upload is key-on itself: seconds 1–59 precede the trip.
    const reportMs = driveInto(trip, 20);
    expect(uploadAt(ctx, combustion).atMs).toBe(reportMs);
    const body = await running(combustion);
    for (const second of range(1, 59)) expect(body.accelerationVeh?.[second]).toBe(0);
    for (const second of range(10, 50, 10)) {
      expect(body.engineSpeed[second]).toBe(0);
      expect(body.modeBV[second]).toBe(0);
      expect(body.instFuelConsumption?.[second]).toBe('0.0');
    }
    expectTraceValues(combustion, body, uploadAt(ctx, combustion));
  });

  it('answers for the e-208 without fuel or oil, its motor speed as the engine', async () => {
    kit.setNow(V1_TEST_NOW);
    const atRest = await running(electric);
    expect(atRest.fuelLevel).toBeUndefined();
    expect(atRest.tempOilEng).toBeUndefined();
    expect(atRest.instFuelConsumption).toBeUndefined();
    expectTraceValues(electric, atRest, uploadAt(ctx, electric));

    const trip = recentTrip(ctx, electric, V1_TEST_NOW);
    driveInto(trip, 605);
    const upload = uploadAt(ctx, electric);
    const driving = await running(electric);
    expectTraceValues(electric, driving, upload);
    expect(driving.fuelLevel).toBeUndefined();
    // The single reduction is engaged while the car drives; the motor is coupled to the wheels.
    expect(Object.values(driving.modeBV)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(driving.gmpState).toBe(3);
  });

  it('narrows every per-second map to listsecond', async () => {
    kit.setNow(V1_TEST_NOW);
    const all = await running(combustion);
    const some = await running(combustion, { listsecond: '1,10,15,60' });
    expect(keysOf(some.accelerationVeh ?? {})).toEqual([1, 10, 15, 60]);
    expect(keysOf(some.engineSpeed)).toEqual([10, 60]);
    expect(keysOf(some.modeBV)).toEqual([10, 60]);
    expect(keysOf(some.instFuelConsumption ?? {})).toEqual([10, 60]);
    expect(some.accelerationVeh?.['15']).toBe(all.accelerationVeh?.['15']);
    expect(some.engineSpeed['10']).toBe(all.engineSpeed['10']);
    // Single values are not per second.
    expect(some.fuelLevel).toBe(all.fuelLevel);
    expect(some.gmpState).toBe(all.gmpState);
    const none = await running(combustion, { listsecond: '7' });
    expect(none.engineSpeed).toEqual({});
    expect(keysOf(none.accelerationVeh ?? {})).toEqual([7]);
    expect(await running(combustion, { listsecond: '' })).toEqual(all);
  });

  it('leaves out the acceleration of a car in privacy mode Full, as v4 leaves out kinetic', async () => {
    // A peer car whose latest report was made in privacy mode Full (the demo owner never hides).
    const found = peerReportingUnder(ctx, V1_TEST_NOW, ['Full']);
    kit.setNow(found.atMs);
    const body = await running(found.vehicle);
    expect(body.accelerationVeh).toBeUndefined();
    expect(keysOf(body.engineSpeed)).toEqual(TENS);
  });
});

describe('PSA v1 POST /running/list', () => {
  it('answers the cars it can, in order, as their GET twins do', async () => {
    kit.setNow(V1_TEST_NOW);
    const unknownVin = `${combustion.vin.slice(0, 11)}999999`;
    const { status, body } = await kit.post(
      '/running/list',
      { client_id: kit.keyOf(combustion), listsecond: '10,20' },
      {
        listvin: [electric.vin, unknownVin, combustion.vin, combustion.vin],
        listcontract: [electric.contract, 'CT00000000', combustion.contract, 'CT11111111'],
      },
    );
    expect(status, JSON.stringify(body)).toBe(200);
    const list = z.array(runningSchemaOf(false)).parse(body);
    expect(list.map((item) => item.vin)).toEqual([electric.vin, combustion.vin]);
    expect(list[0]).toEqual(await running(electric, { listsecond: '10,20' }));
    expect(list[1]).toEqual(await running(combustion, { listsecond: '10,20' }));
  });

  it('refuses mismatched or empty lists and a bad listsecond with 400', async () => {
    const query = { client_id: kit.keyOf(combustion) };
    await kit.expectRefusal(
      kit.post('/running/list', query, { listvin: [combustion.vin], listcontract: [] }),
      400,
    );
    await kit.expectRefusal(kit.post('/running/list', query, { listvin: [], listcontract: [] }), 400);
    await kit.expectRefusal(kit.post('/running/list', query, '{"listvin": '), 400);
    // A bad listsecond is refused even when no car of the list would be answered.
    await kit.expectRefusal(
      kit.post(
        '/running/list',
        { ...query, listsecond: '0' },
        { listvin: [`${combustion.vin.slice(0, 11)}999999`], listcontract: ['CT00000000'] },
      ),
      400,
    );
  });
});
