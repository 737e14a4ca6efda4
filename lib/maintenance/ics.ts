// A one-event iCalendar file (RFC 5545) for the forecast service date, written by hand: the format
// needs little for one all-day event, and the `ics` package would add a dependency (and yup beside
// zod) for these few lines. What the RFC asks and this does:
// - lines end with CRLF (§3.1);
// - content lines longer than 75 octets are folded: CRLF then one space, never inside a UTF-8
//   character (§3.1);
// - TEXT values escape backslash, semicolon, comma and newlines (§3.3.11);
// - an all-day event is DTSTART;VALUE=DATE with DTEND the next day (§3.6.1, DTEND non-inclusive);
// - VEVENT carries UID (stable: the same vehicle's event replaces itself on re-import) and DTSTAMP
//   in UTC (§3.8.7.2); the calendar carries VERSION and PRODID (§3.7).
// Pure and client-safe.

export const ICS_MAX_LINE_OCTETS = 75;

/** Escapes a TEXT value (§3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds one content line into pieces of at most 75 octets (UTF-8), each continuation starting with
 * a space that counts toward its 75. Joined with CRLF.
 */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const pieces: string[] = [];
  let current = '';
  let currentOctets = 0;
  for (const char of line) {
    const octets = encoder.encode(char).length;
    if (currentOctets + octets > ICS_MAX_LINE_OCTETS) {
      pieces.push(current);
      current = ' ';
      currentOctets = 1;
    }
    current += char;
    currentOctets += octets;
  }
  pieces.push(current);
  return pieces.join('\r\n');
}

/** `20261126T221000Z` (a UTC DATE-TIME, §3.3.5 form 2). */
export function icsUtcDateTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** `2027-01-10` → `20270110`; the day after as well, for DTEND. */
function icsDate(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new Error(`not a date: ${isoDate}`);
  return isoDate.replace(/-/g, '');
}

function nextDay(isoDate: string): string {
  const next = new Date(`${isoDate}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

export type AllDayEvent = {
  /** Globally unique and stable for what the event is about. */
  uid: string;
  /** Epoch ms of when the file was made. */
  stamp: number;
  /** The day, `YYYY-MM-DD`, in the owner's calendar. */
  date: string;
  summary: string;
  description?: string;
  /** A link back to Kinetic (absolute URL). */
  url?: string;
};

/** A VCALENDAR with one all-day VEVENT, CRLF-terminated and folded. */
export function allDayEventIcs(event: AllDayEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Kinetic//Service forecast//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `DTSTAMP:${icsUtcDateTime(event.stamp)}`,
    `DTSTART;VALUE=DATE:${icsDate(event.date)}`,
    `DTEND;VALUE=DATE:${icsDate(nextDay(event.date))}`,
    `SUMMARY:${escapeText(event.summary)}`,
    ...(event.description === undefined ? [] : [`DESCRIPTION:${escapeText(event.description)}`]),
    ...(event.url === undefined ? [] : [`URL:${event.url}`]),
    // A reminder, not a busy slot.
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** `YYYY-MM-DD` of an instant in a time zone (the owner's calendar day). */
export function dateInZone(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(ms));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
