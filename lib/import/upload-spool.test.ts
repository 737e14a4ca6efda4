import { spawnSync } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { spoolUpload, sweepOrphanedUploads } from './upload-spool';

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

/** The pid of a process that has certainly ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  if (!child.pid) throw new Error('no child');
  return child.pid;
}

describe('sweepOrphanedUploads', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'spool-sweep-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("removes the spool folders of processes that are gone, and keeps live processes' and others'", async () => {
    const dead = deadPid();
    await mkdir(join(folder, `kinetic-upload-${dead}-abc123`));
    await writeFile(join(folder, `kinetic-upload-${dead}-abc123`, 'upload'), 'half a file');
    await mkdir(join(folder, `kinetic-upload-${process.pid}-def456`));
    // A live process other than this one: its parent (the test runner).
    await mkdir(join(folder, `kinetic-upload-${process.ppid}-ghi789`));
    await mkdir(join(folder, 'kinetic-upload-XyZ123'));
    await mkdir(join(folder, 'someone-else'));

    expect(await sweepOrphanedUploads(folder)).toBe(1);
    expect((await readdir(folder)).sort()).toEqual(
      [
        `kinetic-upload-${process.pid}-def456`,
        `kinetic-upload-${process.ppid}-ghi789`,
        'kinetic-upload-XyZ123',
        'someone-else',
      ].sort(),
    );
  });

  it('names each spool folder after the process that writes it', async () => {
    const spooled = await spoolUpload(bodyOf([new TextEncoder().encode('a,b\n')]), 1024);
    try {
      const mine = (await readdir(tmpdir())).filter((name) =>
        name.startsWith(`kinetic-upload-${process.pid}-`),
      );
      expect(mine.length).toBeGreaterThanOrEqual(1);
    } finally {
      await spooled.dispose();
    }
  });
});
