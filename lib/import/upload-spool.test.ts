import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { spoolUpload } from './upload-spool';

function bodyOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

async function textOf(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('spoolUpload', () => {
  it('stores exactly the bytes sent, in order, whatever the chunking, and removes them on dispose', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }), async (chunks) => {
        const expected = Buffer.concat(chunks);
        const upload = await spoolUpload(bodyOf(chunks), 10_000);
        expect(upload.bytes).toBe(expected.byteLength);
        const stream = upload.open();
        expect(await textOf(stream)).toEqual(expected);
        const path = (stream as unknown as { path: string }).path;
        await upload.dispose();
        expect(await exists(dirname(path))).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('accepts a body of exactly the cap and refuses one byte more with 413', async () => {
    const exact = await spoolUpload(bodyOf([new Uint8Array(60), new Uint8Array(40)]), 100);
    expect(exact.bytes).toBe(100);
    await exact.dispose();
    const over = await spoolUpload(bodyOf([new Uint8Array(60), new Uint8Array(41)]), 100).catch((e) => e);
    expect(over).toBeInstanceOf(AppError);
    expect((over as AppError).status).toBe(413);
  });

  it('treats a missing body as an empty file', async () => {
    const upload = await spoolUpload(null, 100);
    expect(upload.bytes).toBe(0);
    const stream = upload.open();
    expect(await textOf(stream)).toEqual(Buffer.alloc(0));
    await upload.dispose();
  });
});
