import { describe, expect, it } from 'vitest';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import { BoolExpError, evaluateBoolExp, parseBoolExp } from './bool-exp';
import type { Observation } from './observations';
import { type MonitorParameter, monitorParameterSchema } from './schemas';
import { inTimeWindows, parseIsoDuration } from './time-window';
import { compileMonitor, evaluate, type TriggerMemory } from './triggers';

// The pure parts of monitors: the boolExp grammar, time windows, and trigger evaluation over
// hand-made observations (spec 4.17 MonitorParameter, DataTrigger.previous, TimeTrigger).

describe('boolExp', () => {
  const names = ['a', 'b', 'c', 'z1'];
  const truth = (on: string[]) => (name: string) => on.includes(name);

  it('reads ! before & before |, with parentheses', () => {
    const expression = parseBoolExp('a | b & !c', names);
    expect(evaluateBoolExp(expression, truth(['a']))).toBe(true);
    expect(evaluateBoolExp(expression, truth(['b']))).toBe(true);
    expect(evaluateBoolExp(expression, truth(['b', 'c']))).toBe(false);
    const grouped = parseBoolExp('(a | b) & !(c)', names);
    expect(evaluateBoolExp(grouped, truth(['a', 'c']))).toBe(false);
    expect(evaluateBoolExp(grouped, truth(['b']))).toBe(true);
    expect(evaluateBoolExp(parseBoolExp('((z1 & a) | (b & !a))', names), truth(['z1', 'a']))).toBe(true);
  });

  it('refuses syntax errors, unknown names and constant expressions', () => {
    for (const text of ['', 'a &', '(a', 'a b', 'a && b', 'd', 'a | !a', 'b & !b', '!(a | !a)', 'a $ b']) {
      expect(() => parseBoolExp(text, names), text).toThrow(BoolExpError);
    }
  });
});

describe('time windows', () => {
  const at = (iso: string) => Date.parse(iso);

  it('parses ISO durations in days, hours, minutes and seconds only', () => {
    expect(parseIsoDuration('PT04H30M')).toBe(4.5 * 3_600_000);
    expect(parseIsoDuration('P1DT2S')).toBe(86_400_000 + 2000);
    expect(parseIsoDuration('P1W')).toBe(7 * 86_400_000);
    for (const text of ['P', 'PT', 'P1M', 'P1Y', '4H', 'PT1.5H'])
      expect(parseIsoDuration(text), text).toBeNull();
  });

  it('lays daily windows on the local clock of the zone, across midnight', () => {
    // 22:00 to 02:00, Paris time (UTC+1 in January), Mondays only: 2026-01-05 is a Monday.
    const night = { times: [{ start: 'PT22H', duration: 'PT4H', occurence: { day: ['Mon'] } }] };
    expect(inTimeWindows(night, at('2026-01-05T21:30:00Z'))).toBe(true);
    expect(inTimeWindows(night, at('2026-01-06T00:59:00Z'))).toBe(true);
    expect(inTimeWindows(night, at('2026-01-06T01:00:00Z'))).toBe(false);
    expect(inTimeWindows(night, at('2026-01-05T20:59:00Z'))).toBe(false);
    // The same hours on a Tuesday evening do not count.
    expect(inTimeWindows(night, at('2026-01-06T21:30:00Z'))).toBe(false);
    // In New York the window is five hours later than in Paris.
    expect(inTimeWindows({ ...night, timeZone: 'America/New_York' }, at('2026-01-06T03:30:00Z'))).toBe(true);
  });

  it('honours ISO weeks and one-off windows', () => {
    // 2026-01-05 is in ISO week 2.
    const weeks = (week: string) => ({
      times: [{ start: 'PT8H', duration: 'PT1H', occurence: { week: [week] } }],
    });
    expect(inTimeWindows(weeks('w2'), at('2026-01-05T07:30:00Z'))).toBe(true);
    expect(inTimeWindows(weeks('w3-w5'), at('2026-01-05T07:30:00Z'))).toBe(false);
    const once = {
      times: [{ recurrence: 'None' as const, start: '2026-01-05T12:00:00+01:00', duration: 'PT1H' }],
    };
    expect(inTimeWindows(once, at('2026-01-05T11:30:00Z'))).toBe(true);
    expect(inTimeWindows(once, at('2026-01-05T12:00:00Z'))).toBe(false);
  });
});

describe('trigger evaluation', () => {
  const trip = (id: string): TripRecord => ({ id, startMs: 0, endMs: 1, distanceKm: 1, routine: 'commute' });
  const observation = (atMs: number, events: Partial<Observation> = {}): Observation => ({
    atMs,
    upload: null,
    fresh: true,
    tripStart: null,
    tripStop: null,
    alerts: [],
    ...events,
  });
  const monitorOf = (parameter: unknown) =>
    compileMonitor(monitorParameterSchema.parse(parameter) as MonitorParameter);
  const empty: TriggerMemory = { values: {}, position: null, truths: {} };

  /** Runs readings through a monitor; answers which steps fired. */
  function run(parameter: unknown, steps: Array<{ values?: Record<string, string>; start?: string }>) {
    const monitor = monitorOf(parameter);
    let memory = empty;
    return steps.map((step, index) => {
      const result = evaluate(monitor, memory, {
        observation: observation(index, step.start ? { tripStart: trip(step.start) } : {}),
        readings: step.values ? { values: step.values, position: null } : null,
        alertsBefore: () => [],
      });
      memory = result.memory;
      return result.fired;
    });
  }

  const data = (trigger: Record<string, unknown>, boolExp = 'a') => ({
    label: 'x',
    triggerParam: { triggers: [{ name: 'a', data: trigger }], boolExp },
  });
  const fuel = (level: string) => ({ values: { 'vehicle.energy.fuel.level': level } });

  it('fires a threshold on crossing only, and again after it was left', () => {
    const low = data({ data: 'vehicle.energy.fuel.level', op: 'lowerThan', value: ['20'] });
    expect(run(low, [fuel('25'), fuel('19.9'), fuel('18'), fuel('21'), fuel('19')])).toEqual([
      false,
      true,
      false,
      false,
      true,
    ]);
  });

  it('keeps the last known value while a reading is hidden', () => {
    const low = data({ data: 'vehicle.energy.fuel.level', op: 'lowerThan', value: ['20'] });
    expect(run(low, [fuel('25'), { values: {} }, fuel('15')])).toEqual([false, false, true]);
  });

  it('fires onChange at each change, with a previous state only from that state', () => {
    const status = (value: string) => ({ values: { 'vehicle.energy.charging.status': value } });
    const change = data({ data: 'vehicle.energy.charging.status', op: 'onChange' });
    expect(
      run(change, [status('Stopped'), status('InProgress'), status('InProgress'), status('Finished')]),
    ).toEqual([false, true, false, true]);
    const fromCharging = data({
      data: 'vehicle.energy.charging.status',
      op: 'onChange',
      previous: { op: 'equalsTo', value: ['InProgress'] },
    });
    expect(
      run(fromCharging, [
        status('Stopped'),
        status('InProgress'),
        status('Finished'),
        status('Disconnected'),
      ]),
    ).toEqual([false, false, true, false]);
  });

  it('latches a state trigger with a previous state', () => {
    const moving = (value: string) => ({ values: { 'vehicle.kinetic.moving': value } });
    const started = data({
      data: 'vehicle.kinetic.moving',
      op: 'equalsTo',
      value: ['true'],
      previous: { op: 'equalsTo', value: ['false'] },
    });
    expect(run(started, [moving('true'), moving('true'), moving('false'), moving('true')])).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });

  it('combines an event and a state with & and |', () => {
    const parameter = (boolExp: string) => ({
      label: 'x',
      triggerParam: {
        triggers: [
          { name: 'start', data: { data: 'vehicle.trip.start', op: 'onChange' } },
          { name: 'low', data: { data: 'vehicle.energy.fuel.level', op: 'lowerThan', value: ['20'] } },
        ],
        boolExp,
      },
    });
    const steps = [
      { ...fuel('30'), start: 't1' },
      fuel('15'),
      { ...fuel('15'), start: 't2' },
      { ...fuel('15'), start: 't3' },
    ];
    // A trip starting with little fuel: each such start.
    expect(run(parameter('start & low'), steps)).toEqual([false, false, true, true]);
    // Either: the first start, then the crossing; later starts fall in a context that already holds.
    expect(run(parameter('start | low'), steps)).toEqual([true, true, false, false]);
  });
});
