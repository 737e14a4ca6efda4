import { inflateRawSync } from 'node:zlib';

// An independent ZIP reader for the tests: walks the central directory, inflates each entry with
// node:zlib and checks its size and CRC with a bitwise CRC-32 (the writer uses a table or zlib's).
// Throws on anything unexpected, so a malformed archive fails the test that reads it.

function crcOf(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`Malformed ZIP: ${what}`);
}

/** name → entry text, in central-directory order. */
export function unzip(archive: Buffer): Map<string, string> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  check(end >= 0 && end + 22 === archive.length, 'end of central directory');
  const count = archive.readUInt16LE(end + 10);
  const directorySize = archive.readUInt32LE(end + 12);
  let at = archive.readUInt32LE(end + 16);
  check(at + directorySize === end, 'central directory size');
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    check(archive.readUInt32LE(at) === 0x02014b50, 'central record signature');
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const compressed = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const offset = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    check(archive.readUInt32LE(offset) === 0x04034b50, `local header of ${name}`);
    check(archive.toString('utf8', offset + 30, offset + 30 + nameLength) === name, `local name of ${name}`);
    const dataStart = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
    check(method === 8, `deflate method of ${name}`);
    const data = inflateRawSync(archive.subarray(dataStart, dataStart + compressed));
    check(data.length === size, `size of ${name}`);
    check(crcOf(data) === crc, `CRC of ${name}`);
    // The data descriptor after the data repeats CRC and sizes.
    const descriptor = dataStart + compressed;
    check(archive.readUInt32LE(descriptor) === 0x08074b50, `descriptor of ${name}`);
    check(archive.readUInt32LE(descriptor + 4) === crc, `descriptor CRC of ${name}`);
    files.set(name, data.toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}
