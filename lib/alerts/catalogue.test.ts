import { describe, expect, it } from 'vitest';
import { PSA_V4_ALERT_TYPES, PSA_V4_LEGACY_ALERT_TYPES } from '@/lib/vehicle-api/psa-v4/schema/alert';
import { alerts as en } from '@/messages/en/alerts';
import { alerts as fr } from '@/messages/fr/alerts';
import {
  alertTextOf,
  catalogueTypeOf,
  DATA_STOPPED_TYPE,
  defaultSeverityOf,
  humaniseAlertType,
} from './catalogue';

// The enum lists come from Kinetic's own PSA v4 schema (the spec's AlertMsgEnum), never copied here,
// so a type added there without texts fails this test.

const LANGUAGES = { en, fr } as const;

describe('alert catalogue', () => {
  it('has the 104 types of the 4.17 enum to check', () => {
    expect(PSA_V4_ALERT_TYPES).toHaveLength(104);
  });

  for (const [language, messages] of Object.entries(LANGUAGES)) {
    it(`gives every 4.17 AlertMsgEnum type its own title and advice in ${language}`, () => {
      for (const type of PSA_V4_ALERT_TYPES) {
        expect(catalogueTypeOf(type, messages.types), type).toBe(type);
        const text = alertTextOf(type, messages);
        expect(text.title.trim().length, type).toBeGreaterThan(2);
        expect(text.advice.trim().length, type).toBeGreaterThan(5);
        expect(text.advice, type).not.toBe(messages.unknown.advice);
      }
    });

    it(`gives every 4.0 type a title and advice in ${language} (its own, or its 4.17 equivalent's)`, () => {
      for (const type of PSA_V4_LEGACY_ALERT_TYPES) {
        const catalogued = catalogueTypeOf(type, messages.types);
        expect(catalogued, type).not.toBeNull();
        // An alias must land on a real 4.17 type, not on another legacy name.
        if (catalogued !== type) expect(PSA_V4_ALERT_TYPES as readonly string[]).toContain(catalogued);
        expect(alertTextOf(type, messages).advice, type).not.toBe(messages.unknown.advice);
      }
    });

    it(`has no entry in ${language} that is neither an enum type nor Kinetic's own`, () => {
      const known = new Set<string>([...PSA_V4_ALERT_TYPES, ...PSA_V4_LEGACY_ALERT_TYPES, DATA_STOPPED_TYPE]);
      for (const key of Object.keys(messages.types)) expect(known.has(key), key).toBe(true);
    });
  }

  it('writes French that differs from the English (not copied over)', () => {
    const same = PSA_V4_ALERT_TYPES.filter((type) => en.types[type].title === fr.types[type].title);
    expect(same).toEqual([]);
  });

  it('gives 4.0 names the severity of their 4.17 equivalent, and unknown types a warning', () => {
    expect(defaultSeverityOf('alertOilPressure')).toBe('critical');
    expect(defaultSeverityOf('washerLevelAlarm')).toBe('information');
    expect(defaultSeverityOf('padWearFault')).toBe('warning');
    expect(defaultSeverityOf('SomethingNew')).toBe('warning');
  });

  it('builds a generic title from an unknown type name', () => {
    expect(alertTextOf('LeftFrontWiperFault', en)).toEqual({
      title: 'Car alert: Left front wiper fault',
      advice: en.unknown.advice,
    });
    expect(alertTextOf('LeftFrontWiperFault', fr).title).toBe('Alerte du véhicule : Left front wiper fault');
  });

  it('humanises PascalCase, camelCase, snake_case and acronyms, and strips markup', () => {
    expect(humaniseAlertType('EngineOilPressureFailure')).toBe('Engine oil pressure failure');
    expect(humaniseAlertType('someNewAlert')).toBe('Some new alert');
    expect(humaniseAlertType('tyre_pressure_low')).toBe('Tyre pressure low');
    expect(humaniseAlertType('ABSFault')).toBe('ABS fault');
    expect(humaniseAlertType('<b>{x}</b>')).toBe('B x b');
    expect(humaniseAlertType('___')).toBe('Unknown');
  });

  it("has Kinetic's own data_stopped alert in both languages", () => {
    expect(alertTextOf(DATA_STOPPED_TYPE, en).title).toBe('Data stopped arriving');
    expect(alertTextOf(DATA_STOPPED_TYPE, fr).title).toBe('Les données n’arrivent plus');
  });
});
