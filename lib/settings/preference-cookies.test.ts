import { describe, expect, it } from 'vitest';
import {
  type CookieWriter,
  type PreferenceCookieOptions,
  writePreferenceCookies,
} from './preference-cookies';

function recordingJar() {
  const calls: string[] = [];
  const jar: CookieWriter = {
    set: (name, value, options) =>
      calls.push(`set ${name}=${value} maxAge=${options.maxAge} secure=${options.secure}`),
    delete: (name) => calls.push(`delete ${name}`),
  };
  return { jar, calls };
}

const OPTIONS: PreferenceCookieOptions = {
  path: '/',
  maxAge: 31_536_000,
  sameSite: 'lax',
  secure: true,
  httpOnly: false,
};

describe('writePreferenceCookies', () => {
  it('sets the chosen language and zone, deletes cleared ones, leaves absent ones alone', () => {
    const { jar, calls } = recordingJar();
    writePreferenceCookies(jar, { locale: 'fr', timeZone: 'Europe/Paris' }, OPTIONS);
    writePreferenceCookies(jar, { locale: null }, OPTIONS);
    writePreferenceCookies(jar, { timeZone: null }, OPTIONS);
    writePreferenceCookies(jar, {}, OPTIONS);
    expect(calls).toEqual([
      'set kinetic-locale=fr maxAge=31536000 secure=true',
      'set kinetic-tz=Europe/Paris maxAge=31536000 secure=true',
      'delete kinetic-locale',
      'delete kinetic-tz',
    ]);
  });
});
