/**
 * A destination's audience as a file to upload: the current members of its
 * segment, hashed by the destination's rules, one row each; members with
 * nothing to match on are left out. The column names are the ones each
 * platform's upload recognises for hashed data: Google Customer Match's
 * template says "Email" and "Phone", Meta's customer list "email" and
 * "phone". A destination that sends one identifier only has that column.
 */
import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { hashContact, matchable, type Contact, type HashOptions, type IdentifierKind } from './normalize.js';

export interface MemberSource {
  /** The segment's members after a profile id ('' from the start), in profile id order; none at the end. */
  page(after: string): Promise<string[]>;
  contactsOf(profileIds: readonly string[]): Promise<Map<string, Contact>>;
}

const HEADERS: Record<HashOptions['rules'], Record<IdentifierKind, string>> = {
  google: { email: 'Email', phone: 'Phone' },
  meta: { email: 'email', phone: 'phone' },
};

export function csvColumns(options: HashOptions): string[] {
  return options.identifiers.map((kind) => HEADERS[options.rules][kind]);
}

async function* rows(source: MemberSource, options: HashOptions): AsyncGenerator<string[]> {
  for (let after = ''; ; ) {
    const page = await source.page(after);
    if (page.length === 0) return;
    const contacts = await source.contactsOf(page);
    for (const profileId of page) {
      const hashes = hashContact(contacts.get(profileId) ?? {}, options);
      if (!matchable(hashes)) continue;
      yield options.identifiers.map((kind) => (kind === 'email' ? hashes.emailSha256 : hashes.phoneSha256) ?? '');
    }
    after = page.at(-1)!;
  }
}

/** The CSV, streamed a page of members at a time; a failure midway ends the stream and is reported to `onError`. */
export function audienceCsv(source: MemberSource, options: HashOptions, onError: (error: Error) => void): NodeJS.ReadableStream {
  // Hex digests never start with a formula character; escaping stays on should a column ever carry anything else.
  const csv = stringify({ header: true, columns: csvColumns(options), escape_formulas: true });
  return pipeline(Readable.from(rows(source, options)), csv, (error) => error && onError(error));
}
