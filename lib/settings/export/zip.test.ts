import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { zipStream } from './zip';
import { unzip } from './zip-reader-for-tests';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

async function* pieces(...texts: string[]) {
  for (const text of texts) yield new TextEncoder().encode(text);
}

describe('zipStream', () => {
  it('writes entries that an independent reader gets back, empty ones included', async () => {
    const archive = await collect(
      zipStream([
        { name: 'a.csv', chunks: pieces('x,y\r\n', '1,2\r\n', '3,4\r\n') },
        { name: 'empty.csv', chunks: pieces() },
        { name: 'données é.txt', chunks: pieces('héllo ', 'wörld') },
      ]),
    );
    expect([...unzip(archive)]).toEqual([
      ['a.csv', 'x,y\r\n1,2\r\n3,4\r\n'],
      ['empty.csv', ''],
      ['données é.txt', 'héllo wörld'],
    ]);
  });

  it('an archive of no entries is just the end record', async () => {
    const archive = await collect(zipStream([]));
    expect(archive.length).toBe(22);
    expect(unzip(archive).size).toBe(0);
  });

  it('keeps large, incompressible data intact across many chunks', async () => {
    const blocks = Array.from({ length: 40 }, () => randomBytes(64 * 1024));
    async function* binary() {
      for (const block of blocks) yield block;
    }
    const archive = await collect(zipStream([{ name: 'blob.bin', chunks: binary() }]));
    const entry = unzip(archive).get('blob.bin');
    // The reader decodes as UTF-8; compare by re-encoding the original the same way.
    expect(entry).toBe(Buffer.concat(blocks).toString('utf8'));
  });

  it('reads an entry only as far as the consumer has pulled', async () => {
    let produced = 0;
    async function* counted() {
      for (let i = 0; i < 100; i++) {
        produced++;
        // Incompressible rows: zlib emits output as it goes (a run of one repeated row would
        // compress to nothing until the end, which is constant memory too, but shows no output).
        yield new TextEncoder().encode(`${randomBytes(4000).toString('hex')}\n`);
      }
    }
    const iterator = zipStream([{ name: 'big.csv', chunks: counted() }])[Symbol.asyncIterator]();
    await iterator.next(); // the local header
    await iterator.next(); // the first compressed output
    expect(produced).toBeLessThan(100);
    await iterator.return?.(undefined);
  });
});
