import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { deleteAt, failedPaths, fixturesIn, type Json, type Key, parseOk, setAt } from '../schema-test-kit';
import {
  PSA_V1_CRASH_SECONDS,
  type PsaV1Crash,
  type PsaV1CrashListItem,
  type PsaV1DrivingAssistance,
  type PsaV1SafetyAssistance,
  psaV1CrashListItemSchema,
  psaV1CrashListSchema,
  psaV1CrashSchema,
  psaV1CrashSearchSchema,
  psaV1DrivingAssistanceDaySchema,
  psaV1DrivingAssistanceSchema,
  psaV1SafetyAssistanceDaySchema,
  psaV1SafetyAssistanceSchema,
} from './schema';

// The safety-* and crash-* fixtures were typed from the v1 Swagger file only (vehicle-apis.md §7): the field
// names, value types and per-second key sets of each operation's 200 schema. `crash-example` is the spec's
// own response example of `GET /crash/get/{vin}`, verbatim. The other values are invented scenarios (a speed
// sign change, a hard stop with ABS, a parking knock); see the comments of ./schema/safety.ts and crash.ts
// for the ranges, which are inferences.

const { fixture, fixtureArray } = fixturesIn(new URL('./__fixtures__/', import.meta.url));

/** "1".."60", written out here rather than imported, so the test checks the schema's key set. */
const MINUTE = Array.from({ length: 60 }, (_, index) => String(index + 1));

const DRIVING_MAPS = [
  'afil',
  'respectTimeIntVeh',
  'survBlindSpot',
  'speedInfoPanel',
  'rearSoundParkAssist',
  'frontSoundParkAssist',
  'laneKeepAssistLeft',
  'laneKeepAssistRight',
];
const SAFETY_MAPS = ['infoBeltSecurity', 'AdEmergencyBrakeSystem', 'abs', 'esp'];
/** The 19 crash maps of the spec (four sides × levels, front "avg" split into N1 and N2, and the rest). */
const CRASH_MAPS = [
  'totMileage',
  'flipVeh',
  ...['Rear', 'Front', 'Lat'].flatMap((side) =>
    ['high', 'avg', 'low', 'repair'].flatMap((level) =>
      side === 'Front' && level === 'avg'
        ? [`${level}${side}CrashInfoN1`, `${level}${side}CrashInfoN2`]
        : [`${level}${side}CrashInfo`],
    ),
  ),
];
const PEDESTRIAN = [
  'pedestCrashInfo1_41',
  'pedestCrashInfo1_60',
  'pedestCrashInfo2_60',
  'pedestCrashInfo3_60',
];

describe('PSA v1 safety and crash schemas accept every hand-typed fixture', () => {
  it.each<[string, z.ZodType]>([
    ['safety-driving-assistance', psaV1DrivingAssistanceSchema],
    ['safety-driving-assistance-day', psaV1DrivingAssistanceDaySchema],
    ['safety-assistance', psaV1SafetyAssistanceSchema],
    ['safety-assistance-day', psaV1SafetyAssistanceDaySchema],
    ['crash-example', psaV1CrashSchema],
    ['crash-get', psaV1CrashSchema],
  ])('%s', (name, schema) => {
    expect(failedPaths(schema, fixture(name))).toEqual([]);
  });

  it.each<[string, z.ZodType]>([
    ['crash-search', psaV1CrashSearchSchema],
    ['crash-list', psaV1CrashListSchema],
  ])('%s', (name, schema) => {
    const items = fixtureArray(name);
    expect(items.length).toBe(2);
    expect(failedPaths(schema, items)).toEqual([]);
  });

  it('the full-minute fixtures hold every field of the spec, so nothing there goes unchecked', () => {
    const driving = fixture('safety-driving-assistance');
    for (const map of DRIVING_MAPS) expect(Object.keys(driving[map] as Json)).toEqual(MINUTE);
    expect(driving).toHaveProperty('autoECall');
    const safety = fixture('safety-assistance');
    for (const map of SAFETY_MAPS) expect(Object.keys(safety[map] as Json)).toEqual(MINUTE);
    expect(CRASH_MAPS).toHaveLength(15);
    const crash = fixture('crash-get');
    for (const map of CRASH_MAPS) expect(Object.keys(crash[map] as Json)).toEqual(['41', '60']);
    for (const field of PEDESTRIAN) expect(typeof crash[field]).toBe('number');
    for (const item of fixtureArray('crash-list')) {
      for (const map of CRASH_MAPS) expect(Object.keys(item[map] as Json)).toEqual(['41']);
    }
  });

  it('keeps the values of the spec example, which need no conversion', () => {
    const example = parseOk(psaV1CrashSchema, fixture('crash-example'));
    expect(example.totMileage).toEqual({ '41': 0, '60': 12535.3 });
    expect(example.avgFrontCrashInfoN2).toEqual({ '41': 0, '60': 1 });
    expect(example.repairLatCrashInfo?.['60']).toBe(1);
    expect([
      example.pedestCrashInfo1_41,
      example.pedestCrashInfo1_60,
      example.pedestCrashInfo2_60,
      example.pedestCrashInfo3_60,
    ]).toEqual([0, 1, 1, 1]);
    expect(example.vin).toBe('VF73AAHXTFJ807314');
    expect(example.lastUpdate).toBe('20160803083640');
    expect(example.contract).toBe('620324101');
  });

  it('keeps the scenario values of the safety fixtures', () => {
    const driving = parseOk(psaV1DrivingAssistanceSchema, fixture('safety-driving-assistance'));
    expect(driving.speedInfoPanel?.['34']).toBe(50);
    expect(driving.speedInfoPanel?.['35']).toBe(70);
    expect(driving.autoECall).toBe(0);
    const safety = parseOk(psaV1SafetyAssistanceSchema, fixture('safety-assistance'));
    const absOn = Object.entries(safety.abs ?? {}).filter(([, on]) => on === 1);
    expect(absOn.map(([second]) => second)).toEqual(['22', '23', '24']);
    const day = parseOk(psaV1DrivingAssistanceDaySchema, fixture('safety-driving-assistance-day'));
    expect(Object.keys(day.frontSoundParkAssist ?? {})).toEqual(['15', '30', '45', '60']);
  });
});

describe('PSA v1 safety per-day searches answer one object, crash search and list answer arrays', () => {
  it('a per-day safety search is refused as an array (the spec says object)', () => {
    expect(failedPaths(psaV1DrivingAssistanceDaySchema, [fixture('safety-driving-assistance-day')])).toEqual([
      '(root)',
    ]);
    expect(failedPaths(psaV1SafetyAssistanceDaySchema, [fixture('safety-assistance-day')])).toEqual([
      '(root)',
    ]);
  });

  it('crash search and list accept empty arrays and refuse a bare object', () => {
    for (const schema of [psaV1CrashSearchSchema, psaV1CrashListSchema]) {
      expect(failedPaths(schema, [])).toEqual([]);
    }
    expect(failedPaths(psaV1CrashSearchSchema, fixture('crash-get'))).toEqual(['(root)']);
    expect(failedPaths(psaV1CrashListSchema, fixtureArray('crash-list')[0])).toEqual(['(root)']);
  });

  it('a crash search item is the GET body: the example fits in a search answer', () => {
    const items = [fixture('crash-example'), fixture('crash-get')];
    expect(failedPaths(psaV1CrashSearchSchema, items)).toEqual([]);
  });

  it('a list item keyed "41" only is a valid subset of the GET body', () => {
    expect(failedPaths(psaV1CrashSchema, fixtureArray('crash-list')[1])).toEqual([]);
  });
});

describe('PSA v1 safety and crash per-second maps', () => {
  it('accept any subset of the seconds, as listsecond asks, and empty maps', () => {
    const driving = setAt(fixture('safety-driving-assistance'), ['afil'], {});
    expect(failedPaths(psaV1DrivingAssistanceSchema, driving)).toEqual([]);
    const one = setAt(fixture('safety-assistance'), ['esp'], { '59': 1 });
    expect(parseOk(psaV1SafetyAssistanceSchema, one).esp).toEqual({ '59': 1 });
    const only60 = setAt(fixture('crash-get'), ['flipVeh'], { '60': 1 });
    expect(parseOk(psaV1CrashSchema, only60).flipVeh).toEqual({ '60': 1 });
  });

  it.each<[string, z.ZodType, string, string, string, unknown]>([
    ['second 0 of a driving map', psaV1DrivingAssistanceSchema, 'safety-driving-assistance', 'afil', '0', 1],
    [
      'second 61 of a driving map',
      psaV1DrivingAssistanceSchema,
      'safety-driving-assistance',
      'speedInfoPanel',
      '61',
      50,
    ],
    [
      'a zero-padded second',
      psaV1DrivingAssistanceSchema,
      'safety-driving-assistance',
      'survBlindSpot',
      '07',
      1,
    ],
    [
      'a non-numeric key in a day answer',
      psaV1DrivingAssistanceDaySchema,
      'safety-driving-assistance-day',
      'laneKeepAssistRight',
      'last',
      0,
    ],
    ['second 61 of abs', psaV1SafetyAssistanceSchema, 'safety-assistance', 'abs', '61', 0],
    [
      'second 0 of the belt map',
      psaV1SafetyAssistanceDaySchema,
      'safety-assistance-day',
      'infoBeltSecurity',
      '0',
      0,
    ],
    ['second 1 of a crash map (41 and 60 only)', psaV1CrashSchema, 'crash-get', 'flipVeh', '1', 0],
    ['second 42 of a crash map', psaV1CrashSchema, 'crash-get', 'totMileage', '42', 18452.7],
    ['second 59 of avgFrontCrashInfoN1', psaV1CrashSchema, 'crash-example', 'avgFrontCrashInfoN1', '59', 0],
  ])('refuse %s', (_name, schema, name, map, second, value) => {
    expect(failedPaths(schema, setAt(fixture(name), [map, second], value))).toEqual([map]);
  });

  it('refuse second 60 in a POST /crash/list item, whose schema lists "41" only', () => {
    for (const map of CRASH_MAPS) {
      const items = setAt(fixtureArray('crash-list'), [1, map, '60'], 0);
      expect(failedPaths(psaV1CrashListSchema, items)).toEqual([`1.${map}`]);
    }
    expect(failedPaths(psaV1CrashListItemSchema, fixture('crash-get')).sort()).toEqual(
      [...CRASH_MAPS].sort(),
    );
  });

  it('refuse a map sent as an array or a scalar', () => {
    const asArray = setAt(fixture('safety-assistance'), ['abs'], [0, 1, 0]);
    expect(failedPaths(psaV1SafetyAssistanceSchema, asArray)).toEqual(['abs']);
    const asScalar = setAt(fixture('crash-get'), ['totMileage'], 18452.9);
    expect(failedPaths(psaV1CrashSchema, asScalar)).toEqual(['totMileage']);
    const scalarInList = setAt(fixtureArray('crash-list'), [0, 'highRearCrashInfo'], 0);
    expect(failedPaths(psaV1CrashListSchema, scalarInList)).toEqual(['0.highRearCrashInfo']);
  });
});

describe('PSA v1 safety and crash schemas refuse wrong types', () => {
  it.each<[string, z.ZodType, string, Key[], unknown]>([
    ['autoECall as text', psaV1DrivingAssistanceSchema, 'safety-driving-assistance', ['autoECall'], '0'],
    [
      'autoECall as a map (the spec says a plain number)',
      psaV1DrivingAssistanceSchema,
      'safety-driving-assistance',
      ['autoECall'],
      { '1': 0 },
    ],
    [
      'a lane-departure code as text',
      psaV1DrivingAssistanceSchema,
      'safety-driving-assistance',
      ['afil', '41'],
      '2',
    ],
    [
      'a speed limit with its unit',
      psaV1DrivingAssistanceSchema,
      'safety-driving-assistance',
      ['speedInfoPanel', '10'],
      '50 km/h',
    ],
    [
      'a blind-spot state as a boolean',
      psaV1DrivingAssistanceDaySchema,
      'safety-driving-assistance-day',
      ['survBlindSpot', '30'],
      true,
    ],
    [
      'a null park-assist value',
      psaV1DrivingAssistanceDaySchema,
      'safety-driving-assistance-day',
      ['rearSoundParkAssist', '45'],
      null,
    ],
    ['abs as a boolean', psaV1SafetyAssistanceSchema, 'safety-assistance', ['abs', '22'], true],
    ['esp as text', psaV1SafetyAssistanceSchema, 'safety-assistance', ['esp', '23'], '1'],
    [
      'a null AEB value',
      psaV1SafetyAssistanceDaySchema,
      'safety-assistance-day',
      ['AdEmergencyBrakeSystem', '2'],
      null,
    ],
    ['a mileage as text', psaV1CrashSchema, 'crash-get', ['totMileage', '60'], '18452.9'],
    ['a crash flag as a boolean', psaV1CrashSchema, 'crash-get', ['highFrontCrashInfo', '41'], false],
    [
      'a pedestrian indicator as a map (the spec says a plain number)',
      psaV1CrashSchema,
      'crash-example',
      ['pedestCrashInfo1_60'],
      { '60': 1 },
    ],
    ['a pedestrian indicator as text', psaV1CrashSchema, 'crash-get', ['pedestCrashInfo3_60'], '0'],
    ['the VIN as a number', psaV1SafetyAssistanceSchema, 'safety-assistance', ['vin'], 1234567],
    ['the contract as a number', psaV1CrashSchema, 'crash-example', ['contract'], 620324101],
    [
      'lastUpdate as epoch seconds',
      psaV1DrivingAssistanceSchema,
      'safety-driving-assistance',
      ['lastUpdate'],
      1715341632,
    ],
    [
      'lastUpdate in yyyyMMddHHmm (the search parameter form)',
      psaV1CrashSchema,
      'crash-get',
      ['lastUpdate'],
      '202405101147',
    ],
  ])('%s', (_name, schema, name, path, value) => {
    expect(failedPaths(schema, setAt(fixture(name), path, value))).toEqual([path.join('.')]);
  });

  it.each<[string, z.ZodType, string, Key[], unknown]>([
    [
      'a search item flag as text',
      psaV1CrashSearchSchema,
      'crash-search',
      [1, 'repairFrontCrashInfo', '41'],
      '1',
    ],
    ['a list item mileage as text', psaV1CrashListSchema, 'crash-list', [1, 'totMileage', '41'], '3120.75'],
    ['a list item VIN of the wrong form', psaV1CrashListSchema, 'crash-list', [0, 'vin'], 'VF73AAHXTFJ80731'],
  ])('in arrays: %s', (_name, schema, name, path, value) => {
    expect(failedPaths(schema, setAt(fixtureArray(name), path, value))).toEqual([path.join('.')]);
  });
});

describe('PSA v1 safety and crash schemas refuse out-of-range values', () => {
  it.each<[string, z.ZodType, string, Key[], unknown]>([
    ['autoECall code 16', psaV1DrivingAssistanceSchema, 'safety-driving-assistance', ['autoECall'], 16],
    ['negative autoECall', psaV1DrivingAssistanceSchema, 'safety-driving-assistance', ['autoECall'], -1],
    [
      'a fractional lane-departure code',
      psaV1DrivingAssistanceSchema,
      'safety-driving-assistance',
      ['afil', '1'],
      1.5,
    ],
    [
      'a negative park-assist code',
      psaV1DrivingAssistanceSchema,
      'safety-driving-assistance',
      ['rearSoundParkAssist', '60'],
      -1,
    ],
    [
      'lane-keeping code 99',
      psaV1DrivingAssistanceSchema,
      'safety-driving-assistance',
      ['laneKeepAssistRight', '5'],
      99,
    ],
    [
      'a speed limit of 300',
      psaV1DrivingAssistanceSchema,
      'safety-driving-assistance',
      ['speedInfoPanel', '35'],
      300,
    ],
    [
      'a negative speed limit',
      psaV1DrivingAssistanceSchema,
      'safety-driving-assistance',
      ['speedInfoPanel', '1'],
      -50,
    ],
    [
      'a fractional speed limit (31.07, 50 km/h turned into mph)',
      psaV1DrivingAssistanceDaySchema,
      'safety-driving-assistance-day',
      ['speedInfoPanel', '15'],
      31.07,
    ],
    ['abs of 2', psaV1SafetyAssistanceSchema, 'safety-assistance', ['abs', '23'], 2],
    ['negative esp', psaV1SafetyAssistanceSchema, 'safety-assistance', ['esp', '1'], -1],
    [
      'a belt code of 16',
      psaV1SafetyAssistanceDaySchema,
      'safety-assistance-day',
      ['infoBeltSecurity', '1'],
      16,
    ],
    ['negative mileage', psaV1CrashSchema, 'crash-get', ['totMileage', '41'], -0.1],
    ['a mileage of 3,000,000', psaV1CrashSchema, 'crash-example', ['totMileage', '60'], 3_000_000],
    ['flipVeh of 2', psaV1CrashSchema, 'crash-get', ['flipVeh', '60'], 2],
    ['a crash flag of 0.5', psaV1CrashSchema, 'crash-example', ['avgLatCrashInfo', '60'], 0.5],
    ['a pedestrian indicator of 2', psaV1CrashSchema, 'crash-example', ['pedestCrashInfo2_60'], 2],
    ['a negative pedestrian indicator', psaV1CrashSchema, 'crash-get', ['pedestCrashInfo1_41'], -1],
    ['a VIN with a Q', psaV1CrashSchema, 'crash-get', ['vin'], 'VF73AAHXTFJ8Q7314'],
  ])('%s', (_name, schema, name, path, value) => {
    expect(failedPaths(schema, setAt(fixture(name), path, value))).toEqual([path.join('.')]);
  });

  it('in arrays', () => {
    const search = setAt(fixtureArray('crash-search'), [0, 'lowRearCrashInfo', '60'], 3);
    expect(failedPaths(psaV1CrashSearchSchema, search)).toEqual(['0.lowRearCrashInfo.60']);
    const list = setAt(fixtureArray('crash-list'), [1, 'totMileage', '41'], -3120.75);
    expect(failedPaths(psaV1CrashListSchema, list)).toEqual(['1.totMileage.41']);
  });

  it('accept the edges of each range', () => {
    const edges: [z.ZodType, string, Key[], unknown][] = [
      [psaV1DrivingAssistanceSchema, 'safety-driving-assistance', ['speedInfoPanel', '1'], 0],
      [psaV1DrivingAssistanceSchema, 'safety-driving-assistance', ['speedInfoPanel', '1'], 250],
      [psaV1DrivingAssistanceSchema, 'safety-driving-assistance', ['autoECall'], 15],
      [psaV1SafetyAssistanceSchema, 'safety-assistance', ['AdEmergencyBrakeSystem', '60'], 15],
      [psaV1CrashSchema, 'crash-get', ['totMileage', '60'], 2_000_000],
      [psaV1CrashSchema, 'crash-get', ['totMileage', '41'], 0],
    ];
    for (const [schema, name, path, value] of edges) {
      expect(failedPaths(schema, setAt(fixture(name), path, value))).toEqual([]);
    }
  });
});

describe('PSA v1 safety and crash schemas refuse a missing VIN', () => {
  it.each<[string, z.ZodType, string]>([
    ['driving assistance', psaV1DrivingAssistanceSchema, 'safety-driving-assistance'],
    ['driving assistance per day', psaV1DrivingAssistanceDaySchema, 'safety-driving-assistance-day'],
    ['safety assistance', psaV1SafetyAssistanceSchema, 'safety-assistance'],
    ['safety assistance per day', psaV1SafetyAssistanceDaySchema, 'safety-assistance-day'],
    ['crash', psaV1CrashSchema, 'crash-get'],
  ])('%s', (_name, schema, name) => {
    expect(failedPaths(schema, deleteAt(fixture(name), ['vin']))).toEqual(['vin']);
  });

  it.each<[string, z.ZodType, string]>([
    ['crash search', psaV1CrashSearchSchema, 'crash-search'],
    ['crash list', psaV1CrashListSchema, 'crash-list'],
  ])('an item of the %s', (_name, schema, name) => {
    expect(failedPaths(schema, deleteAt(fixtureArray(name), [1, 'vin']))).toEqual(['1.vin']);
  });
});

describe('PSA v1 safety and crash schemas accept missing signals and unknown fields', () => {
  it('a body holding only its VIN', () => {
    const vin = { vin: 'VF73AAHXTFJ807314' };
    for (const schema of [
      psaV1DrivingAssistanceSchema,
      psaV1SafetyAssistanceSchema,
      psaV1CrashSchema,
      psaV1CrashListItemSchema,
    ]) {
      expect(failedPaths(schema, vin)).toEqual([]);
    }
  });

  it('a body without lastUpdate or contract (no response field is required by the spec)', () => {
    const bare = deleteAt(deleteAt(fixture('crash-get'), ['lastUpdate']), ['contract']);
    expect(failedPaths(psaV1CrashSchema, bare)).toEqual([]);
  });

  it('strips unknown fields but not unknown seconds', () => {
    const driving = setAt(fixture('safety-driving-assistance'), ['adaptiveCruise'], { '1': 1 });
    expect(parseOk(psaV1DrivingAssistanceSchema, driving)).not.toHaveProperty('adaptiveCruise');
    const safety = setAt(fixture('safety-assistance'), ['airbag'], 0);
    expect(parseOk(psaV1SafetyAssistanceSchema, safety)).not.toHaveProperty('airbag');
    const crash = setAt(fixture('crash-get'), ['pedestCrashInfo4_60'], 1);
    expect(parseOk(psaV1CrashSchema, crash)).not.toHaveProperty('pedestCrashInfo4_60');
    const list = setAt(fixtureArray('crash-list'), [0, 'collisionId'], 'x');
    expect(parseOk(psaV1CrashListSchema, list)[0]).not.toHaveProperty('collisionId');
  });

  it('a field whose case differs from the spec is unknown, not an alias', () => {
    const renamed = fixture('safety-assistance');
    setAt(renamed, ['adEmergencyBrakeSystem'], renamed.AdEmergencyBrakeSystem);
    deleteAt(renamed, ['AdEmergencyBrakeSystem']);
    const parsed = parseOk(psaV1SafetyAssistanceSchema, renamed);
    expect(parsed.AdEmergencyBrakeSystem).toBeUndefined();
    expect(parsed).not.toHaveProperty('adEmergencyBrakeSystem');
  });
});

describe('PSA v1 safety and crash schema types', () => {
  it('are inferred from the schemas', () => {
    expect(PSA_V1_CRASH_SECONDS).toEqual(['41', '60']);
    expectTypeOf<PsaV1DrivingAssistance['autoECall']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NonNullable<PsaV1DrivingAssistance['speedInfoPanel']>[string]>().toEqualTypeOf<
      number | undefined
    >();
    expectTypeOf<PsaV1SafetyAssistance['vin']>().toEqualTypeOf<string>();
    expectTypeOf<PsaV1Crash['pedestCrashInfo1_41']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NonNullable<PsaV1CrashListItem['totMileage']>[string]>().toEqualTypeOf<number | undefined>();
  });
});
