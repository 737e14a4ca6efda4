import 'server-only';
import { Zip, ZipDeflate } from 'fflate';

// The ZIP of the CSV export, streamed with fflate: each entry is deflated as its chunks arrive and
// closed with a data descriptor, so nothing is held but the entry being compressed and a small
// record per entry — a table of millions of rows passes through in bounded memory. fflate has no
// ZIP64; one entry stays far below 4 GiB (a year of 1 Hz samples is about 250 MB of CSV).

export type ZipEntry = { name: string; chunks: AsyncIterable<Uint8Array> };

/** The entries as one ZIP archive, chunk by chunk, reading each entry only as far as needed. */
export async function* zipStream(
  entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>,
  now = new Date(),
): AsyncGenerator<Uint8Array> {
  // fflate's synchronous deflate calls back during push(): collect, then yield between pushes.
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, data) => {
    if (error) failure = error;
    else out.push(data);
  });
  const drain = function* () {
    if (failure) throw failure;
    while (out.length > 0) yield out.shift() as Uint8Array;
  };
  for await (const entry of entries) {
    const file = new ZipDeflate(entry.name, { level: 6 });
    file.mtime = now;
    zip.add(file);
    for await (const chunk of entry.chunks) {
      file.push(chunk);
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
}
