/** Reading an import file as a stream of numbered records, each a message or a rejection. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { TouchpointError } from '../../errors.js';
import type { Result } from '../result.js';
import { lineToMessage } from './ndjson.js';
import { resolveMapping, rowToMessage, type CsvMapping, type RowOptions } from './csv-mapping.js';

export interface FileRecord {
  line: number;
  message: Result<Record<string, unknown>>;
}

export interface RecordReader {
  records: AsyncIterable<FileRecord>;
  /** Bytes read from the file so far. */
  bytesRead(): number;
}

export function readNdjson(path: string): RecordReader {
  const stream = createReadStream(path);
  async function* records(): AsyncIterable<FileRecord> {
    let line = 0;
    for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      yield { line, message: lineToMessage(text) };
    }
  }
  return { records: records(), bytesRead: () => stream.bytesRead };
}

export interface CsvOptions extends RowOptions {
  mapping: CsvMapping;
  delimiter?: string;
}

export function readCsv(path: string, options: CsvOptions): RecordReader {
  const stream = createReadStream(path);
  const skipped: FileRecord[] = [];
  let mapping: CsvMapping | undefined;
  const parser = parse({
    bom: true,
    delimiter: options.delimiter ?? ',',
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    info: true,
    columns: (headers: string[]) => {
      const resolved = resolveMapping(
        headers.map((h) => h.trim()),
        options.mapping,
      );
      if (!resolved.ok) throw new TouchpointError(resolved.code, resolved.message);
      mapping = resolved.value;
      return headers.map((h) => h.trim());
    },
  });
  parser.on('skip', (error: Error & { lines?: number }) => {
    skipped.push({ line: error.lines ?? 0, message: { ok: false, code: 'TP_INVALID_EVENT', message: `Malformed CSV: ${error.message}` } });
  });
  async function* records(): AsyncIterable<FileRecord> {
    for await (const { record, info } of stream.pipe(parser) as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield* skipped.splice(0);
      yield { line: info.lines, message: rowToMessage(record, mapping!, options) };
    }
    yield* skipped.splice(0);
  }
  stream.on('error', (error) => parser.destroy(error));
  return { records: records(), bytesRead: () => stream.bytesRead };
}
