/**
 * Conversion paths as the attribution models read them: the channels a
 * customer touched in order, and how many customers took that path and
 * converted (with what value) or did not. No I/O.
 */
export interface PathRow {
  channels: string[];
  conversions: number;
  value: number;
  nulls: number;
}

/** A path table or path entry that cannot be read; `where` names the line (`line 3`) or the entry (`paths/2/path`). */
export class PathTableError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'PathTableError';
  }
}

const HEADER = ['path', 'total_conversions', 'total_conversion_value', 'total_null'];

const EMPTY_CHANNEL = 'a path is channels separated by ">", none of them empty, e.g. "search > email > store"';

function count(text: string, where: string, column: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new PathTableError(where, `${column} must be a number of 0 or more, got ${JSON.stringify(text)}`);
  return n;
}

/** The channels of a path written `search > email > store`; undefined when one of them is empty. */
function splitPath(text: string): string[] | undefined {
  const channels = text.split('>').map((c) => c.trim());
  return channels.some((c) => c === '') ? undefined : channels;
}

/**
 * The path table format of ChannelAttribution: a header line
 * `path;total_conversions;total_conversion_value;total_null`, then one path
 * per line, its channels separated by ">" (`search > email > store`).
 */
/**
 * The most distinct channels a path table may name: the Markov model solves
 * one linear system per channel, O(n^4) in all (200 channels: about 1.5 s;
 * 400: half a minute), and a request must not hold the server that long.
 */
export const MAX_CHANNELS = 200;

function checkChannels(rows: PathRow[]): PathRow[] {
  const count = new Set(rows.flatMap((r) => r.channels)).size;
  if (count > MAX_CHANNELS) {
    throw new PathTableError(
      'the table',
      `it names ${count} distinct channels; the models take at most ${MAX_CHANNELS}: group rare ones into one, e.g. "other"`,
    );
  }
  return rows;
}

const unquote = (cell: string): string => cell.trim().replace(/^"(.*)"$/, '$1');

export function parsePathTable(text: string): PathRow[] {
  // A spreadsheet saving as UTF-8 may start the file with a byte order mark.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(';').map((h) => unquote(h).toLowerCase());
  if (HEADER.some((h, i) => header[i] !== h)) {
    // curl -d drops the line breaks of a file: the whole table arrives as one line.
    const flattened = lines.length === 1 && lines[0]!.split(';').length > 4 ? '; the table arrived as one line (send the file with --data-binary, not -d)' : '';
    throw new PathTableError('line 1', `the header must be ${HEADER.join(';')}${flattened}`);
  }
  const rows: PathRow[] = [];
  for (const [i, raw] of lines.slice(1).entries()) {
    if (raw.trim() === '') continue;
    const where = `line ${i + 2}`;
    // R's write.table and spreadsheets may quote each field.
    const cells = raw.split(';').map(unquote);
    if (cells.length !== 4) throw new PathTableError(where, `expected 4 fields separated by ";" (${HEADER.join(';')}), got ${cells.length}`);
    const channels = splitPath(cells[0]!);
    if (!channels) throw new PathTableError(where, EMPTY_CHANNEL);
    rows.push({
      channels,
      conversions: count(cells[1]!, where, 'total_conversions'),
      value: count(cells[2]!, where, 'total_conversion_value'),
      nulls: count(cells[3]!, where, 'total_null'),
    });
  }
  return checkChannels(rows);
}

/** A path as a JSON body gives it: the path written as in the table, with its counts. */
export interface PathEntry {
  path: string;
  conversions: number;
  value: number;
  nulls: number;
}

/** Path rows from entries; the first that cannot be read is refused, named by its index (`paths/2/path`). */
export function pathRowsOf(entries: readonly PathEntry[]): PathRow[] {
  const rows = entries.map((e, i) => {
    const channels = splitPath(e.path);
    if (!channels) throw new PathTableError(`paths/${i}/path`, EMPTY_CHANNEL);
    const number = (n: number, field: string) => count(String(n), `paths/${i}/${field}`, field);
    return { channels, conversions: number(e.conversions, 'conversions'), value: number(e.value, 'value'), nulls: number(e.nulls, 'nulls') };
  });
  return checkChannels(rows);
}

/** One customer's path: the channels touched in order, and whether (with what value) they converted. */
export interface CustomerPath {
  channels: readonly string[];
  converted: boolean;
  value: number;
}

/** Identical paths become one row, with their customers' conversions, nulls and value summed: what the models read. */
export function aggregatePaths(customers: Iterable<CustomerPath>): PathRow[] {
  const rows = new Map<string, PathRow>();
  for (const customer of customers) {
    const key = customer.channels.join(' > ');
    let row = rows.get(key);
    if (!row) {
      row = { channels: [...customer.channels], conversions: 0, value: 0, nulls: 0 };
      rows.set(key, row);
    }
    if (customer.converted) row.conversions++;
    else row.nulls++;
    row.value += customer.value;
  }
  return [...rows.values()];
}

/** Every channel the paths touch, sorted. */
export function channelsOf(paths: readonly PathRow[]): string[] {
  const channels = new Set<string>();
  for (const p of paths) for (const c of p.channels) channels.add(c);
  return [...channels].sort();
}
