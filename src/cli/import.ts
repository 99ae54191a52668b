import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { SingleBar } from 'cli-progress';
import { parseMappingPairs, readCsv, readNdjson, runImport, type CsvMapping, type ImportProgress, type RecordReader } from '../collect/index.js';
import { TouchpointError } from '../errors.js';
import { print, withTouchpoint, type CliContext } from './context.js';

export interface ImportOptions {
  config?: string;
  source: string;
  format?: string;
  map: string[];
  mapping?: string;
  type: string;
  event: string;
  delimiter?: string;
  decimalComma?: boolean;
  rejects?: string;
  batchSize: string;
  json?: boolean;
}

export async function importFile(ctx: CliContext, file: string, options: ImportOptions): Promise<void> {
  const format = options.format ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : 'ndjson');
  if (format !== 'csv' && format !== 'ndjson') throw new Error(`--format must be csv or ndjson, got ${format}`);
  if (options.type !== 'track' && options.type !== 'identify') throw new Error(`--type must be track or identify, got ${options.type}`);
  const type = options.type;
  const batchSize = Number(options.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10000) throw new Error(`--batch-size must be 1 to 10000, got ${options.batchSize}`);
  const mapping = format === 'csv' ? readMapping(options) : {};
  const rejectsPath = options.rejects ?? `${file}.rejects.ndjson`;

  await withTouchpoint(ctx, options, async (tp) => {
    const source = await tp.sources.find(options.source);
    if (!source) throw new Error(`No source named ${JSON.stringify(options.source)}. Create it first: touchpoint sources create NAME --channel store`);
    // Opened only now: a command refused above leaves no file stream behind.
    const reader: RecordReader =
      format === 'csv'
        ? readCsv(file, { mapping, type, eventName: options.event, delimiter: options.delimiter, decimalComma: options.decimalComma })
        : readNdjson(file);
    const progress = createProgress(ctx);
    const summary = await runImport({ ingest: tp.ingest, source, file, reader, batchSize, rejectsPath, onProgress: progress.update });
    progress.stop();
    if (options.json) return print(ctx.stdout, JSON.stringify(summary));
    print(
      ctx.stdout,
      `Imported ${summary.imported} of ${summary.read} records into ${source.name}: ${summary.duplicates} duplicates skipped, ${summary.rejected} rejected.`,
    );
    if (summary.rejectsPath) print(ctx.stdout, `Rejected lines and reasons: ${summary.rejectsPath}`);
  });
}

function readMapping(options: ImportOptions): CsvMapping {
  let fromFile: CsvMapping = {};
  if (options.mapping) {
    const parsed: unknown = JSON.parse(readFileSync(options.mapping, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${options.mapping} must hold a JSON object {"field": "column"}`);
    fromFile = parsed as CsvMapping;
  }
  const pairs = [...Object.entries(fromFile).map(([f, c]) => `${f}=${c}`), ...options.map];
  const mapping = parseMappingPairs(pairs);
  if (!mapping.ok) throw new TouchpointError(mapping.code, mapping.message);
  return mapping.value;
}

/** A bar on a terminal; a line every few seconds otherwise (logs, CI). */
function createProgress(ctx: CliContext): { update(p: ImportProgress): void; stop(): void } {
  if (ctx.stderr.isTTY) {
    const bar = new SingleBar({
      stream: ctx.stderr,
      format: 'importing [{bar}] {percentage}% | {read} read, {imported} imported, {duplicates} duplicates, {rejected} rejected',
    });
    let started = false;
    return {
      update(p) {
        if (!started) bar.start(p.totalBytes, 0, p);
        started = true;
        bar.update(p.bytesRead, p);
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(p) {
      if (Date.now() - last < 5000) return;
      last = Date.now();
      const percent = p.totalBytes === 0 ? 100 : Math.floor((100 * p.bytesRead) / p.totalBytes);
      print(ctx.stderr, `importing: ${percent}% (${p.read} read, ${p.imported} imported, ${p.duplicates} duplicates, ${p.rejected} rejected)`);
    },
    stop() {},
  };
}
