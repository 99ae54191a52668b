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

export class PathTableError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'PathTableError';
  }
}

const HEADER = ['path', 'total_conversions', 'total_conversion_value', 'total_null'];

function count(text: string, line: number, column: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new PathTableError(line, `${column} must be a number of 0 or more, got ${JSON.stringify(text)}`);
  return n;
}

/**
 * The path table format of ChannelAttribution: a header line
 * `path;total_conversions;total_conversion_value;total_null`, then one path
 * per line, its channels separated by ">" (`search > email > store`).
 */
export function parsePathTable(text: string): PathRow[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(';').map((h) => h.trim().toLowerCase());
  if (HEADER.some((h, i) => header[i] !== h)) throw new PathTableError(1, `the header must be ${HEADER.join(';')}`);
  const rows: PathRow[] = [];
  for (const [i, raw] of lines.slice(1).entries()) {
    if (raw.trim() === '') continue;
    const line = i + 2;
    const cells = raw.split(';');
    if (cells.length !== 4) throw new PathTableError(line, `expected 4 fields separated by ";", got ${cells.length}`);
    const channels = cells[0]!.split('>').map((c) => c.trim());
    if (channels.some((c) => c === '')) throw new PathTableError(line, 'a path is channels separated by ">", none of them empty');
    rows.push({
      channels,
      conversions: count(cells[1]!, line, 'total_conversions'),
      value: count(cells[2]!, line, 'total_conversion_value'),
      nulls: count(cells[3]!, line, 'total_null'),
    });
  }
  return rows;
}

/** The path without consecutive repeats: A > A > B > A is A > B > A. */
export const collapseRepeats = (channels: readonly string[]): string[] => channels.filter((c, i) => i === 0 || channels[i - 1] !== c);
