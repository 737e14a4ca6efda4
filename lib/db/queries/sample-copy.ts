import 'server-only';

// PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary
// Format"): the samples bulk path sends its rows this way because writing a float's 4 or 8 bytes
// costs next to nothing, while printing it as text for INSERT or text COPY and parsing it again on
// the server took most of the PostgreSQL ingest time (scripts/bench/ingest.ts).

/** The column types the encoder writes (those of `samples`, migrations/0002-vehicle-data.ts). */
export type CopyType = 'text' | 'bigint' | 'integer' | 'real' | 'double precision';

export type CopyValue = number | string | null;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Signature, flags (no OIDs) and header extension length, then the trailer's field count of -1. */
const HEADER_BYTES = SIGNATURE.length + 8;
const TRAILER_BYTES = 2;
const FIXED_BYTES: Record<Exclude<CopyType, 'text'>, number> = {
  bigint: 8,
  integer: 4,
  real: 4,
  'double precision': 8,
};
const TWO_TO_32 = 2 ** 32;
/** The largest finite float4: a larger finite number would be stored as infinity without a word. */
const FLOAT4_MAX = 3.4028234663852886e38;

function refuse(type: CopyType, value: CopyValue): never {
  throw new RangeError(`${JSON.stringify(value)} is not a PostgreSQL ${type}`);
}

/** Writes a string's UTF-8 bytes at `at`, returning how many: short ASCII by hand, the rest by Buffer. */
function writeText(buffer: Buffer, at: number, value: string): number {
  const length = value.length;
  if (length <= 64) {
    let i = 0;
    for (; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) break;
      buffer[at + i] = code;
    }
    if (i === length) return length;
  }
  return buffer.write(value, at, 'utf8');
}

/**
 * `rows` flat, `types.length` values a row, as one COPY `(format binary)` stream. Refuses what the
 * text path's PostgreSQL parsing refused (a fraction in an integer column, a float4 out of range, a
 * string in a number column) rather than storing something else. Numbers go through a DataView and
 * short ASCII text byte by byte: Buffer's own writers cost more than the server's COPY.
 */
export function encodeCopyBinary(types: readonly CopyType[], rows: readonly CopyValue[]): Buffer {
  const width = types.length;
  if (rows.length % width !== 0) throw new RangeError('rows do not fill whole tuples');
  const count = rows.length / width;
  let capacity = HEADER_BYTES + TRAILER_BYTES + count * 2;
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i];
    capacity += 4;
    if (value === null) continue;
    const type = types[i % width] as CopyType;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    capacity += type === 'text' ? (typeof value === 'string' ? value.length * 3 : 0) : FIXED_BYTES[type];
  }
  const buffer = Buffer.allocUnsafe(capacity);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let at = SIGNATURE.copy(buffer, 0);
  view.setInt32(at, 0);
  view.setInt32(at + 4, 0);
  at += 8;
  let column = 0;
  for (let i = 0; i < rows.length; i++) {
    if (column === width) column = 0;
    if (column === 0) {
      view.setInt16(at, width);
      at += 2;
    }
    const value = rows[i] as CopyValue;
    const type = types[column] as CopyType;
    column++;
    if (value === null) {
      view.setInt32(at, -1);
      at += 4;
      continue;
    }
    if (type === 'text') {
      if (typeof value !== 'string') refuse(type, value);
      const length = writeText(buffer, at + 4, value);
      view.setInt32(at, length);
      at += 4 + length;
      continue;
    }
    if (typeof value !== 'number') refuse(type, value);
    switch (type) {
      case 'bigint': {
        if (!Number.isSafeInteger(value)) refuse(type, value);
        const high = Math.floor(value / TWO_TO_32);
        view.setInt32(at, 8);
        view.setInt32(at + 4, high);
        view.setUint32(at + 8, value - high * TWO_TO_32);
        at += 12;
        break;
      }
      case 'integer':
        if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) refuse(type, value);
        view.setInt32(at, 4);
        view.setInt32(at + 4, value);
        at += 8;
        break;
      case 'real':
        if (Number.isFinite(value) && Math.abs(value) > FLOAT4_MAX) refuse(type, value);
        view.setInt32(at, 4);
        view.setFloat32(at + 4, value);
        at += 8;
        break;
      case 'double precision':
        view.setInt32(at, 8);
        view.setFloat64(at + 4, value);
        at += 12;
        break;
    }
  }
  view.setInt16(at, -1);
  return buffer.subarray(0, at + 2);
}
