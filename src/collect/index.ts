/**
 * collect: everything between a client and the event log. Segment-spec message
 * validation and normalization (message.ts, pure), sources and their write keys
 * (sources.ts), channel inference, ingest (validate -> append durably) and bulk
 * import of NDJSON and mapped CSV files.
 */
export { CHANNELS, isChannel, inferChannel, type Channel } from './channels.js';
export { MESSAGE_TYPES, normalizeMessage, type Envelope, type MessageType, type NormalizedMessage } from './message.js';
export { readBatch, readSingle, type ParsedBatch } from './envelope.js';
export { createSources, presentSource, type Source, type SourceView, type SourceWithKey, type Sources } from './sources.js';
export { createIngest, type Ingest, type IngestResult, type Rejection } from './ingest.js';
export { collectMigrations } from './tables.js';
export { createSourceRejections, type SourceRejection, type SourceRejections } from './rejections.js';
export { CSV_FIELDS, parseMappingPairs, type CsvMapping } from './import/csv-mapping.js';
export { readCsv, readNdjson, type RecordReader } from './import/sources.js';
export { runImport, type ImportProgress, type ImportSummary } from './import/run-import.js';
