import 'server-only';
import { ObdImportError } from './errors';

// Splits a CSV byte stream into records without ever holding more than one chunk and one
// record: a 100 MB log must stream. Quoting follows RFC 4180 (a field that starts with `"` runs
// to the matching `"`, `""` is a literal quote, separators and line breaks inside are data),
// leniently: a stray `"` inside an unquoted field is kept as a character, as spreadsheets do.

export type CsvSeparator = ',' | ';' | '\t';

export type CsvRecord = {
  /** The line the record starts on (the first line of the file is 1): a spreadsheet's row number unless a quoted cell spans lines. */
  row: number;
  fields: string[];
};

/** A record longer than this is an unclosed quote swallowing the file, not a real row. */
export const MAX_RECORD_CHARS = 1 << 20;

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * The separator of a file, from its header line: whichever of `;`, `,` or tab occurs most often
 * outside quotes (a `;` file may carry decimal commas in its data, never in its header names,
 * which is why the header decides). A tie or a single-column file means `,`.
 */
export function detectSeparator(headerLine: string): CsvSeparator {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === ',' || char === ';' || char === '\t')) counts[char] += 1;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

/** An incremental RFC 4180 splitter: feed text as it arrives, take the complete records. */
export class CsvSplitter {
  private readonly separator: number;
  private fields: string[] = [];
  private field = '';
  private recordChars = 0;
  private quoted = false;
  /** Inside a quoted field, the previous character was a `"` (closing, or half of `""`). */
  private quotePending = false;
  /** Whether the current field began with a quote (so the quote state applies). */
  private fieldStarted = false;
  private afterCr = false;
  private row = 1;
  private recordRow = 1;

  constructor(separator: CsvSeparator) {
    this.separator = separator.charCodeAt(0);
  }

  push(text: string, out: CsvRecord[]): void {
    let start = 0;
    const flushSlice = (end: number) => {
      if (end > start) this.field += text.slice(start, end);
    };
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (this.afterCr) {
        this.afterCr = false;
        if (code === LF) {
          // The LF of a CRLF: the line was already counted at the CR.
          if (!this.quoted) start = i + 1;
          continue;
        }
      }
      if (this.quoted) {
        if (this.quotePending) {
          this.quotePending = false;
          if (code === QUOTE) {
            // `""`: one literal quote; the first was already left out of the slice.
            start = i;
            continue;
          }
          this.quoted = false;
          // fall through: this character follows the closing quote.
        } else {
          if (code === QUOTE) {
            flushSlice(i);
            start = i + 1;
            this.quotePending = true;
          } else if (code === LF || code === CR) {
            this.row += 1;
            this.afterCr = code === CR;
          }
          continue;
        }
      }
      if (code === this.separator) {
        flushSlice(i);
        this.endField();
        start = i + 1;
      } else if (code === LF || code === CR) {
        flushSlice(i);
        this.endField();
        out.push({ row: this.recordRow, fields: this.fields });
        this.fields = [];
        this.recordChars = 0;
        this.row += 1;
        this.recordRow = this.row;
        if (code === CR) this.afterCr = true;
        start = i + 1;
      } else if (code === QUOTE && !this.fieldStarted && i === start && this.field === '') {
        this.quoted = true;
        this.fieldStarted = true;
        start = i + 1;
      } else {
        this.fieldStarted = true;
      }
    }
    flushSlice(text.length);
    if (this.recordChars + this.field.length > MAX_RECORD_CHARS) {
      throw new ObdImportError(
        'row_too_long',
        `Row ${this.recordRow} is longer than ${MAX_RECORD_CHARS} characters: the file probably has an unclosed quote.`,
      );
    }
  }

  /** The last record when the file does not end with a line break. */
  end(out: CsvRecord[]): void {
    if (this.fields.length > 0 || this.field !== '' || this.fieldStarted) {
      this.endField();
      out.push({ row: this.recordRow, fields: this.fields });
    }
    this.fields = [];
  }

  private endField(): void {
    this.fields.push(this.field);
    this.recordChars += this.field.length;
    this.field = '';
    this.fieldStarted = false;
    this.quoted = false;
    this.quotePending = false;
  }
}

export type CsvChunk = Uint8Array | string;

/** What a stream of records reports about itself, read as it goes. */
export type CsvProgress = { bytesRead: number; separator: CsvSeparator | undefined };

/**
 * The records of a CSV stream, a chunk's worth at a time. The separator is detected from the
 * first non-blank line; a UTF-8 byte-order mark is dropped.
 */
export async function* csvRecords(
  input: AsyncIterable<CsvChunk>,
  progress: CsvProgress,
): AsyncGenerator<CsvRecord[]> {
  const decoder = new TextDecoder('utf-8');
  let head = '';
  let splitter: CsvSplitter | undefined;
  const feed = (text: string): CsvRecord[] => {
    const out: CsvRecord[] = [];
    if (splitter) {
      splitter.push(text, out);
      return out;
    }
    head += text;
    if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
    const headerLine = firstContentLine(head);
    if (headerLine === undefined) {
      if (head.length > MAX_RECORD_CHARS) {
        throw new ObdImportError('no_header', 'The file has no header line in its first megabyte.');
      }
      return out;
    }
    const separator = detectSeparator(headerLine);
    progress.separator = separator;
    splitter = new CsvSplitter(separator);
    splitter.push(head, out);
    head = '';
    return out;
  };
  for await (const chunk of input) {
    let text: string;
    if (typeof chunk === 'string') {
      progress.bytesRead += Buffer.byteLength(chunk);
      text = chunk;
    } else {
      progress.bytesRead += chunk.byteLength;
      text = decoder.decode(chunk, { stream: true });
    }
    const records = feed(text);
    if (records.length > 0) yield records;
  }
  const out = feed(decoder.decode());
  if (!splitter && head.trim() !== '') {
    // A file of a single line without a line break: that line is the header.
    progress.separator = detectSeparator(head);
    splitter = new CsvSplitter(progress.separator);
    splitter.push(head, out);
  }
  splitter?.end(out);
  if (out.length > 0) yield out;
}

/** The first line with something in it, once a line break shows it is complete. */
function firstContentLine(text: string): string | undefined {
  let start = 0;
  for (;;) {
    const end = text.slice(start).search(/[\r\n]/);
    if (end < 0) return undefined;
    const line = text.slice(start, start + end);
    if (line.trim() !== '') return line;
    start += end + 1;
  }
}
