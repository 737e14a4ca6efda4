import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseObdFile } from './parse-obd-file';

// A 100 MB log must stream: the parser pulls the next chunk only when the consumer asks for the
// next batch, and the heap does not grow with the file.

const HEADER =
  'GPS Time, Device Time, Longitude, Latitude,GPS Speed (Meters/second), Altitude,Engine RPM(rpm),Speed (OBD)(km/h),Fuel flow rate/hour(l/hr),Mass Air Flow Rate(g/s),Engine Coolant Temperature(°C),Throttle Position(Manifold)(%)\n';
const START = Date.parse('2020-06-01T00:00:00Z');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A Torque row at 10 Hz; every value changes from row to row. */
function torqueRow(index: number): string {
  const date = new Date(START + index * 100);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const device = `${pad(date.getUTCDate())}-${MONTHS[date.getUTCMonth()]}-${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
  const speed = index % 130;
  return `-,${device},${(2.35 + (index % 1000) / 1e5).toFixed(6)},${(48.85 + (index % 997) / 1e5).toFixed(6)},${(speed / 3.6).toFixed(2)},${35 + (index % 50)},${800 + (index % 4000)},${speed},${(1 + (index % 90) / 10).toFixed(1)},${(3 + (index % 200) / 10).toFixed(1)},${70 + (index % 30)},${index % 100}\n`;
}

/** Chunks of about `chunkBytes`, generated on demand up to `totalBytes`; counts what was pulled. */
function generatedLog(totalBytes: number, chunkBytes: number) {
  const state = { pulled: 0, bytes: 0, rows: 0 };
  async function* chunks() {
    const encoder = new TextEncoder();
    let pending = HEADER;
    while (state.bytes < totalBytes) {
      while (pending.length < chunkBytes) {
        pending += torqueRow(state.rows);
        state.rows += 1;
      }
      const bytes = encoder.encode(pending);
      pending = '';
      state.pulled += 1;
      state.bytes += bytes.byteLength;
      yield bytes;
    }
  }
  return { state, chunks: chunks() };
}

describe('streaming', () => {
  it('yields the first batch after a few chunks, not after the whole file', async () => {
    const log = generatedLog(50 * 1024 * 1024, 16 * 1024);
    const parse = parseObdFile(log.chunks, { fileName: 'big.csv', batchSize: 500 });
    const batches = parse.batches();
    const first = await batches.next();
    expect(first.done).toBe(false);
    // 500 rows of ~150 bytes are ~75 KB: about five 16 KiB chunks, far from the 3,200 chunks of the file.
    expect(log.state.pulled).toBeLessThanOrEqual(8);
    expect(parse.report().done).toBe(false);
    await batches.return(undefined);
  });

  it('parses a large log with bounded heap and accounts for every row', async () => {
    // The heap that survives a full collection is what the parser holds; without `--expose-gc`
    // on the command line, V8 lends its `gc` to a fresh context once the flag is set.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // 24 MB (160,000 rows, past the repeat window's 100,000) keeps the suite fast; the bound does not depend on the size (the figure for 100 MB
    // files and the throughput belong to `npm run bench`).
    const total = 24 * 1024 * 1024;
    const log = generatedLog(total, 64 * 1024);
    const parse = parseObdFile(log.chunks, {
      fileName: 'big.csv',
      batchSize: 2000,
      timeZone: 'Europe/Paris',
    });
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let samples = 0;
    let batches = 0;
    for await (const batch of parse.batches()) {
      samples += batch.samples.length;
      batches += 1;
      if (batches % 25 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    const report = parse.report();
    expect(log.state.bytes).toBeGreaterThanOrEqual(total);
    expect(report).toMatchObject({
      done: true,
      rowsRead: log.state.rows,
      rowsParsed: log.state.rows,
      rowsRejected: 0,
    });
    expect(samples).toBe(log.state.rows);
    expect(report.bytesRead).toBe(log.state.bytes);
    // Holding the file would retain ≥ 24 MB of text and ~160,000 samples (well over 50 MB).
    // Streaming retains a chunk, a batch and the repeat window (≤ 100,000 instants): about 16 MB measured.
    expect(batches).toBeGreaterThan(100);
    expect(peak).toBeLessThan(32 * 1024 * 1024);
  }, 120_000);
});
