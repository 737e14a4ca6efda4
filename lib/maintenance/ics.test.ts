import { describe, expect, it } from 'vitest';
import type { MaintenanceDto } from '../schemas/maintenance';
import { serviceEventOf } from './calendar';
import { allDayEventIcs, dateInZone, escapeText, foldLine, icsUtcDateTime } from './ics';

const octets = (text: string) => new TextEncoder().encode(text).length;
const unfold = (text: string) => text.replace(/\r\n /g, '');

describe('RFC 5545 text', () => {
  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeText('a,b;c\\d\ne\r\nf')).toBe('a\\,b\\;c\\\\d\\ne\\nf');
  });

  it('folds long ASCII lines at 75 octets, continuations starting with one space', () => {
    const line = `DESCRIPTION:${'x'.repeat(188)}`; // 200 octets
    const folded = foldLine(line);
    const lines = folded.split('\r\n');
    expect(lines.map(octets)).toEqual([75, 75, 52]); // 75, then 1 + 74, then 1 + 51
    expect(lines.slice(1).every((piece) => piece.startsWith(' '))).toBe(true);
    expect(unfold(folded)).toBe(line);
  });

  it('never folds inside a UTF-8 character', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`; // 8 + 200 octets
    const folded = foldLine(line);
    const lines = folded.split('\r\n');
    // 8 + 33 × 2 = 74 (a 34th é would make 76); then 1 + 37 × 2 = 75; then the last 30: 1 + 60.
    expect(lines.map(octets)).toEqual([74, 75, 1 + 30 * 2]);
    expect(lines.every((piece) => !piece.includes('\uFFFD'))).toBe(true);
    expect(unfold(folded)).toBe(line);
  });

  it('leaves short lines alone', () => {
    expect(foldLine('VERSION:2.0')).toBe('VERSION:2.0');
  });

  it('writes UTC date-times in the basic format', () => {
    expect(icsUtcDateTime(Date.UTC(2026, 10, 26, 22, 10, 5, 123))).toBe('20261126T221005Z');
  });
});

describe('allDayEventIcs', () => {
  it('writes one all-day VEVENT with CRLF line ends', () => {
    const text = allDayEventIcs({
      uid: 'service-v1@kinetic',
      stamp: Date.UTC(2026, 10, 26, 22, 10, 0),
      date: '2026-12-31',
      summary: 'Service due: Peugeot 308, blue',
      description: 'Time first; book it',
    });
    expect(text).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Kinetic//Service forecast//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'BEGIN:VEVENT',
        'UID:service-v1@kinetic',
        'DTSTAMP:20261126T221000Z',
        'DTSTART;VALUE=DATE:20261231',
        'DTEND;VALUE=DATE:20270101', // the next day: DTEND is not inclusive
        'SUMMARY:Service due: Peugeot 308\\, blue',
        'DESCRIPTION:Time first\\; book it',
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps every physical line within 75 octets', () => {
    const text = allDayEventIcs({
      uid: 'u@kinetic',
      stamp: 0,
      date: '2027-01-10',
      summary: 'Révision à prévoir : '.repeat(10),
      description: 'x'.repeat(500),
    });
    for (const line of text.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
  });
});

describe('the service event', () => {
  const NOW = Date.UTC(2026, 0, 1, 23, 30);
  const maintenance = (dueAt: string | null): MaintenanceDto => ({
    vehicleId: 'veh-1',
    vehicleLabel: 'Peugeot e-208 (blue)',
    report: { at: new Date(NOW).toISOString(), daysBeforeService: 30, kmBeforeService: 900 },
    forecast: {
      status: dueAt === null ? 'unknown' : 'ok',
      dueAt,
      firstLimit: dueAt === null ? null : 'distance',
      daysLeft: null,
      daysBeforeServiceNow: 30,
      kmBeforeServiceNow: 900,
      paceKmPerDay: 30,
    },
  });

  it("puts the event on the owner's calendar day of the due date", () => {
    const due = new Date(Date.UTC(2026, 0, 20, 23, 30)).toISOString();
    const paris = serviceEventOf(maintenance(due), {
      now: NOW,
      timeZone: 'Europe/Paris',
      origin: 'http://x',
    });
    const newYork = serviceEventOf(maintenance(due), {
      now: NOW,
      timeZone: 'America/New_York',
      origin: 'http://x',
    });
    expect(paris?.date).toBe('2026-01-21');
    expect(newYork?.date).toBe('2026-01-20');
    expect(paris).toMatchObject({
      uid: 'service-veh-1@kinetic',
      url: 'http://x/vehicles/veh-1/maintenance',
      fileName: 'kinetic-service-peugeot-e-208-blue.ics',
      firstLimit: 'distance',
    });
  });

  it('puts an overdue service on today, and has no event without a date', () => {
    const past = new Date(NOW - 20 * 86_400_000).toISOString();
    expect(serviceEventOf(maintenance(past), { now: NOW, timeZone: 'UTC', origin: 'http://x' })?.date).toBe(
      '2026-01-01',
    );
    expect(serviceEventOf(maintenance(null), { now: NOW, timeZone: 'UTC', origin: 'http://x' })).toBeNull();
  });

  it('reads calendar days in a zone', () => {
    expect(dateInZone(NOW, 'Europe/Paris')).toBe('2026-01-02');
    expect(dateInZone(NOW, 'UTC')).toBe('2026-01-01');
  });
});
