import 'server-only';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../errors';

// An uploaded file goes to a temporary file first, chunk by chunk, and is imported from there.
// Memory stays bounded (one network chunk at a time), and the import's single transaction lasts
// as long as parsing takes, not as long as the upload: on SQLite that transaction holds the
// process's only connection and the file's write lock, so a slow phone upload read straight into
// it would stall every other request and the sync worker for minutes.

export type SpooledUpload = {
  bytes: number;
  open(): Readable;
  dispose(): Promise<void>;
};

// Each spool folder is named after the process that made it, so that one whose process died
// (SIGKILL, a crash: its `dispose` never ran) can be told from one a live process is still
// writing, here or in another app instance on the same machine.
const PREFIX = 'kinetic-upload-';
const OWNED = /^kinetic-upload-(\d+)-/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the spool folders of processes that are gone (up to the upload limit each); run at
 * start-up (instrumentation.ts). Returns how many it removed.
 */
export async function sweepOrphanedUploads(folder = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(folder)) {
    const pid = Number(OWNED.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    await rm(join(folder, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The file is larger than ${Math.round(maxBytes / 2 ** 20)} MB.`);
}

/** Writes `body` to a private temporary file, refusing with 413 as soon as it passes `maxBytes`. */
export async function spoolUpload(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<SpooledUpload> {
  const dir = await mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
  const path = join(dir, 'upload');
  const dispose = () => rm(dir, { recursive: true, force: true });
  let bytes = 0;
  try {
    const file = await open(path, 'wx', 0o600);
    try {
      if (body) {
        const reader = body.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            bytes += value.byteLength;
            if (bytes > maxBytes) throw tooLarge(maxBytes);
            await file.write(value);
          }
        } catch (error) {
          await reader.cancel().catch(() => {});
          throw error;
        }
      }
    } finally {
      await file.close();
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return { bytes, open: () => createReadStream(path), dispose };
}

export { tooLarge as uploadTooLarge };
