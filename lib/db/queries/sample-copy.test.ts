import { describe, expect, it } from 'vitest';
import { type CopyType, encodeCopyBinary } from './sample-copy';

// The binary COPY stream, byte for byte as the PostgreSQL manual lays it out ("Binary Format" of
// COPY): the expected bytes below are written from the manual, not from the encoder's output.

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const HEADER = '5047434f50590aff0d0a00 00000000 00000000';
const TRAILER = 'ffff';
const TYPES: CopyType[] = ['text', 'bigint', 'integer', 'real', 'double precision', 'text'];

describe('encodeCopyBinary', () => {
  it('writes the header, each tuple with its field count and lengths, nulls as -1, and the trailer', () => {
    const encoded = encodeCopyBinary(TYPES, [
      ...['é\t', 2 ** 32 + 5, -2, 1.5, -0.25, null],
      ...['a', -1, 0, null, null, ''],
    ]);
    const expected = hex(`${HEADER}
      0006
        00000003 c3a909
        00000008 0000000100000005
        00000004 fffffffe
        00000004 3fc00000
        00000008 bfd0000000000000
        ffffffff
      0006
        00000001 61
        00000008 ffffffffffffffff
        00000004 00000000
        ffffffff
        ffffffff
        00000000
      ${TRAILER}`);
    expect(encoded.equals(expected)).toBe(true);
  });

  it('writes no tuple for no rows', () => {
    expect(encodeCopyBinary(TYPES, []).equals(hex(HEADER + TRAILER))).toBe(true);
  });

  it('refuses what PostgreSQL would have refused as text, rather than storing something else', () => {
    const row = (values: unknown[]) => () =>
      encodeCopyBinary(['integer', 'bigint', 'real', 'text'], values as (number | string | null)[]);
    expect(row([2, 1, 1, 'x'])).not.toThrow();
    expect(row([2.5, 1, 1, 'x'])).toThrow(RangeError);
    expect(row([2 ** 31, 1, 1, 'x'])).toThrow(RangeError);
    expect(row([2, 2 ** 53, 1, 'x'])).toThrow(RangeError);
    expect(row([2, 1.5, 1, 'x'])).toThrow(RangeError);
    expect(row([2, 1, 1e39, 'x'])).toThrow(RangeError);
    expect(row([2, 1, '1', 'x'])).toThrow(RangeError);
    expect(row([2, 1, 1, 7])).toThrow(RangeError);
    expect(row([2, 1, 1])).toThrow(RangeError);
  });
});
