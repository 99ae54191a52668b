/** A segment's members as CSV: GET /api/segments/:id/members?format=csv. */
import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

export interface MemberPages {
  /** The next members after a profile id, in profile id order; none at the end. */
  page(after: string | undefined): Promise<{ profileId: string; since: number }[]>;
  identities(profileIds: string[]): Promise<Map<string, { kind: string; value: string }[]>>;
}

const COLUMNS = ['profile_id', 'user_id', 'email', 'phone', 'since'];

/**
 * Every member with its main identifiers, streamed. The values come from
 * customers (a userId or an email may start with "="), so a cell that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or
 * carriage return) gets a leading "'", as OWASP advises against CSV injection.
 */
export function membersCsv(pages: MemberPages, onError: (error: Error) => void): NodeJS.ReadableStream {
  const csv = stringify({ header: true, columns: COLUMNS, escape_formulas: true });
  return pipeline(Readable.from(memberRows(pages)), csv, (error) => error && onError(error));
}

async function* memberRows(pages: MemberPages): AsyncGenerator<(string | undefined)[]> {
  for (let after: string | undefined; ; ) {
    const page = await pages.page(after);
    if (page.length === 0) return;
    const identities = await pages.identities(page.map((m) => m.profileId));
    for (const member of page) {
      const ids = identities.get(member.profileId) ?? [];
      const first = (kind: string) => ids.find((i) => i.kind === kind)?.value;
      yield [member.profileId, first('userId'), first('email'), first('phone'), new Date(member.since).toISOString()];
    }
    after = page[page.length - 1]!.profileId;
  }
}
