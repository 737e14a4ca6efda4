import { describe, expect, it } from 'vitest';
import { parseColumnMap, planColumns, splitHeader } from './columns';

describe('splitHeader', () => {
  it.each([
    ['Speed (OBD)(km/h)', 'speed(obd)', 'km/h'],
    [' Speed (OBD)', 'speed(obd)', ''],
    ['Throttle Position(Manifold)(%)', 'throttle position(manifold)', '%'],
    ['Hybrid Battery Charge (%)(%)', 'hybrid battery charge(%)', '%'],
    ['GPS Speed (Meters/second)', 'gps speed', 'meters/second'],
    ['Engine RPM [RPM]', 'engine rpm', 'rpm'],
    ['Engine Coolant Temperature(°C)', 'engine coolant temperature', '°c'],
    ['Speed (knots)', 'speed(knots)', ''],
  ])('%j → %j in %j', (header, name, unit) => {
    expect(splitHeader(header)).toEqual({ name, unit });
  });
});

describe('planColumns', () => {
  it('orders a quantity’s columns best first and ignores what it does not know', () => {
    const plan = planColumns(
      ['GPS Time', ' Device Time', 'GPS Speed (Meters/second)', 'Speed (OBD)(km/h)', 'Speed (knots)', 'G(x)'],
      'auto',
      new Map(),
    );
    expect(plan.format).toBe('torque');
    expect(plan.columns.get('time')?.map((column) => column.header)).toEqual(['Device Time', 'GPS Time']);
    expect(plan.columns.get('speed')?.map((column) => [column.header, column.unit])).toEqual([
      ['Speed (OBD)(km/h)', 'km/h'],
      ['GPS Speed (Meters/second)', 'meters/second'],
    ]);
    expect(plan.ignored).toEqual(['Speed (knots)', 'G(x)']);
  });

  it('reads `Time (s)` as elapsed time but `Timestamp (ms)` as a clock', () => {
    const plan = planColumns(['Timestamp (ms)', 'Time (s)'], 'csv', new Map());
    expect(plan.columns.get('time')?.[0]?.header).toBe('Timestamp (ms)');
    expect(plan.columns.get('elapsed')?.[0]?.header).toBe('Time (s)');
  });
});

describe('parseColumnMap', () => {
  it('reads column=target pairs, the last `=` splitting', () => {
    expect([...parseColumnMap('Zeit=time, a=b=speed_mph ,,RPM=rpm')]).toEqual([
      ['zeit', 'time'],
      ['a=b', 'speed_mph'],
      ['rpm', 'rpm'],
    ]);
  });
});
