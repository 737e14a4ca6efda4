import { describe, expect, it } from 'vitest';
import { isTimeZone, localeFromAcceptLanguage } from './locales';

describe('localeFromAcceptLanguage', () => {
  it('takes the best-rated supported language', () => {
    expect(localeFromAcceptLanguage('de-DE, fr-CA;q=0.9, en;q=0.8')).toBe('fr');
    expect(localeFromAcceptLanguage('en-GB,en;q=0.9,fr;q=0.8')).toBe('en');
    expect(localeFromAcceptLanguage('fr;q=0.5, en;q=0.7')).toBe('en');
  });

  it('falls back to English for nothing, unsupported or refused languages', () => {
    expect(localeFromAcceptLanguage(null)).toBe('en');
    expect(localeFromAcceptLanguage('de, es;q=0.8')).toBe('en');
    expect(localeFromAcceptLanguage('fr;q=0, de')).toBe('en');
  });
});

describe('isTimeZone', () => {
  it('accepts IANA zones and refuses anything else', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(42)).toBe(false);
  });
});
