import { Readable } from 'node:stream';
import { CsvError, parse, type Info } from 'csv-parse';
import { DomainError } from '../../errors.js';

/** A CSV record as read: the physical line where it starts (1-based), and its cells. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** One record (a quoted cell may span lines) may not exceed this: a file of one open quote stays bounded. */
const MAX_RECORD_BYTES = 1024 * 1024;
const BOM = [0xef, 0xbb, 0xbf];

export function invalidCsv(detail: string): DomainError {
  return new DomainError('invalid_csv', detail);
}

/**
 * The records of a CSV file as they stream in, parsed by csv-parse (RFC 4180: quoted cells with
 * commas, quotes and line breaks; LF or CRLF). The bytes must be UTF-8 (a leading BOM is dropped);
 * anything else, or a file csv-parse cannot read (an unclosed quote), ends the stream with
 * `invalid_csv`. Blank lines (and lines of empty cells only) are left out.
 */
export async function* readCsvRecords(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<CsvRecord> {
  const lines = new LineCounter();
  const parser = parse({
    info: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
  });
  const input = Readable.from(checkedBytes(source, lines), { objectMode: false });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  // Where the next record starts: the end of the previous one (csv-parse counts bytes, delimiter included).
  let start = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const line = lines.lineAt(start);
      start = item.info.bytes;
      if (item.record.every((cell) => cell.length === 0)) continue;
      yield { line, fields: item.record };
    }
  } catch (error) {
    if (error instanceof CsvError) throw invalidCsv(csvProblem(error));
    throw error;
  } finally {
    input.destroy();
    parser.destroy();
  }
}

function csvProblem(error: CsvError): string {
  const where = typeof error.lines === 'number' ? ` (near line ${error.lines})` : '';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `The file is not a CSV this import can read: a quoted cell is never closed${where}`;
    case 'CSV_MAX_RECORD_SIZE':
      return `The file is not a CSV this import can read: a record is longer than 1 MiB${where} (an unclosed quote?)`;
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `The file is not a CSV this import can read: a quote sits inside an unquoted cell${where}; quote the cell and double the quote ("")`;
    default:
      return `The file is not a CSV this import can read${where}: ${error.message.replace(/, value is .*$/s, '')}`;
  }
}

/** The bytes, checked as UTF-8 on the way (a fatal streaming decoder), a leading BOM removed. */
async function* checkedBytes(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  lines: LineCounter,
): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let offset = 0;
  let head: Buffer | null = Buffer.alloc(0);
  const check = (bytes: Buffer, stream: boolean) => {
    try {
      decoder.decode(bytes, { stream });
    } catch {
      throw invalidCsv(
        `The file is not valid UTF-8 (within bytes ${offset}–${offset + bytes.length}); save it as "CSV UTF-8" and try again`,
      );
    }
  };
  const emit = (bytes: Buffer): Buffer => {
    lines.add(bytes);
    return bytes;
  };
  for await (const chunk of source) {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (head !== null) {
      // Hold the first bytes until the BOM question is settled (a chunk may be shorter than 3).
      head = Buffer.concat([head, bytes]);
      if (head.length < BOM.length) continue;
      bytes = BOM.every((b, i) => head![i] === b) ? head.subarray(BOM.length) : head;
      head = null;
    }
    check(bytes, true);
    offset += bytes.length;
    if (bytes.length > 0) yield emit(bytes);
  }
  if (head !== null && head.length > 0) {
    check(head, true);
    yield emit(head);
  }
  check(Buffer.alloc(0), false);
}

/**
 * Physical line numbers for byte offsets of the stream fed to the parser, asked in increasing
 * order; chunks before the last asked offset are let go, so memory holds what the parser holds.
 */
class LineCounter {
  private readonly chunks: Buffer[] = [];
  /** Offset of chunks[0] in the stream. */
  private base = 0;
  /** Offset counted up to, and the line it is on. */
  private position = 0;
  private line = 1;

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  lineAt(offset: number): number {
    while (this.position < offset && this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      const from = this.position - this.base;
      const to = Math.min(chunk.length, offset - this.base);
      for (let i = chunk.indexOf(0x0a, from); i !== -1 && i < to; i = chunk.indexOf(0x0a, i + 1)) this.line++;
      this.position = this.base + to;
      if (to === chunk.length) {
        this.chunks.shift();
        this.base += chunk.length;
      }
    }
    return this.line;
  }
}
