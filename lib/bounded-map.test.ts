import { describe, expect, it } from 'vitest';
import { setNewest } from './bounded-map';

describe('setNewest', () => {
  it('keeps at most the limit, dropping the least recently set first', () => {
    const map = new Map<string, number>();
    for (const [index, key] of ['a', 'b', 'c', 'd'].entries()) setNewest(map, key, index, 3);
    expect([...map]).toEqual([
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ]);
  });

  it('moves a key set again to the newest place, dropping nothing', () => {
    const map = new Map([
      ['a', 0],
      ['b', 1],
    ]);
    setNewest(map, 'a', 5, 2);
    expect([...map]).toEqual([
      ['b', 1],
      ['a', 5],
    ]);
  });

  it('brings an overfull map back to the limit', () => {
    const map = new Map([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    setNewest(map, 'd', 3, 1);
    expect([...map]).toEqual([['d', 3]]);
  });
});
