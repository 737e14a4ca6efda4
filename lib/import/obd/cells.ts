import 'server-only';

// One cell as real OBD logs write it: `48`, `48.5`, `48,5` (decimal comma), `48km/h` or
// `24,77g/s` (unit glued on), `1.50201E+12` (a spreadsheet's exponent form), `-` or empty for
// "no reading".

export type NumberCell =
  | { kind: 'absent' }
  | {
      kind: 'number';
      value: number;
      /** The unit glued to the value (`km/h` in `48km/h`), as written; '' when none. */
      unit: string;
      /** The value's last significant place: 1 for `2124`, 0.01 for `24,77`, 1e7 for `1.50201E+12`. */
      resolution: number;
      exponent: boolean;
    }
  | { kind: 'invalid' };

/** What apps write for "no reading": Torque writes `-`, others leave the cell empty or say so. */
const ABSENT = new Set(['', '-', '--', '—', 'n/a', 'na', 'nan', 'null', 'none', 'no data']);

// sign, digits with `.`/`,` marks, optional exponent, then an optional unit that does not start
// with a digit (so `12 34` is not 12 with unit "34").
const NUMBER = /^([+-]?)(\d[\d.,]*|[.,]\d+)(?:[eE]([+-]?\d+))?\s*([^\d\s.,+-].*)?$/;
const PLAIN = /^-?\d{1,15}(?:\.\d{1,15})?$/;
const GROUPED = /^\d{1,3}(?:[.,]\d{3})+$/;

export function isAbsent(raw: string): boolean {
  return ABSENT.has(raw.trim().toLowerCase());
}

/**
 * A number cell. Decimal marks: with both `.` and `,`, the rightmost is the decimal mark and the
 * other groups thousands (`1.234,5`, `1,234.5`); a single `,` or `.` is always a decimal mark
 * (OBD apps never group thousands in their logs, and `24,77` is a decimal comma whatever the
 * separator); several of the same mark are thousands groups (`1,234,567`).
 */
export function parseNumberCell(raw: string): NumberCell {
  // Most cells of most logs are plain `123` or `-12.5`: read those without the general pattern.
  if (PLAIN.test(raw)) {
    const point = raw.indexOf('.');
    return {
      kind: 'number',
      value: Number(raw),
      unit: '',
      resolution: point < 0 ? 1 : 10 ** (point + 1 - raw.length),
      exponent: false,
    };
  }
  const text = raw.trim();
  if (ABSENT.has(text.toLowerCase())) return { kind: 'absent' };
  const match = NUMBER.exec(text);
  if (!match) return { kind: 'invalid' };
  const [, sign = '', body = '', exponentText, unit = ''] = match;
  const digits = normalizeMarks(body);
  if (digits === undefined) return { kind: 'invalid' };
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const value = Number(`${sign}${digits}e${exponent}`);
  if (!Number.isFinite(value)) return { kind: 'invalid' };
  const point = digits.indexOf('.');
  const fractionDigits = point < 0 ? 0 : digits.length - point - 1;
  return {
    kind: 'number',
    value,
    unit: unit.trim(),
    resolution: 10 ** (exponent - fractionDigits),
    exponent: exponentText !== undefined,
  };
}

/** The number's digits with `.` as the only (decimal) mark, or undefined when the marks make no sense. */
function normalizeMarks(body: string): string | undefined {
  const lastComma = body.lastIndexOf(',');
  const lastDot = body.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const decimal = lastComma > lastDot ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    const at = Math.max(lastComma, lastDot);
    const whole = body.slice(0, at);
    if (whole.includes(decimal) || !GROUPED.test(whole)) return undefined;
    return `${whole.split(group).join('')}.${body.slice(at + 1)}`;
  }
  const mark = lastComma >= 0 ? ',' : lastDot >= 0 ? '.' : undefined;
  if (mark === undefined) return body;
  const count = body.split(mark).length - 1;
  if (count === 1) return body.replace(mark, '.').replace(/^\./, '0.').replace(/\.$/, '');
  return GROUPED.test(body) ? body.split(mark).join('') : undefined;
}
