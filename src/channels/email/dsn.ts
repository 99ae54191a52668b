/**
 * Bounces as SMTP servers send them back: a delivery status notification
 * (RFC 3464, a multipart/report with a message/delivery-status part and the
 * returned message or its headers). Parsed with no I/O into the message it
 * is about and what happened to the recipient. A small parser of its own:
 * a DSN needs headers, one level of multipart and field lists, not a whole
 * MIME library.
 */

export interface Dsn {
  /** From the returned message: its X-Touchpoint-Message-Id, else its Message-ID's local part. */
  messageId?: string;
  recipient?: string;
  /** The enhanced status code (RFC 3463), e.g. 5.1.1. */
  status?: string;
  /** failed, delayed, delivered, relayed or expanded. */
  action?: string;
  /** A permanent failure: the address should not be written to again. */
  hard: boolean;
}

type Fields = Map<string, string>;

/** Header fields by lower-case name (the first of each), folded lines unfolded. */
function parseFields(block: string): Fields {
  const fields: Fields = new Map();
  for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

/** A MIME entity's header fields and body. */
function splitEntity(text: string): { headers: Fields; body: string } {
  const end = text.indexOf('\n\n');
  return end === -1 ? { headers: parseFields(text), body: '' } : { headers: parseFields(text.slice(0, end)), body: text.slice(end + 2) };
}

const mediaType = (headers: Fields) => (headers.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();

function parameter(headers: Fields, name: string): string | undefined {
  const match = (headers.get('content-type') ?? '').match(new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i'));
  return match?.[1] ?? match?.[2];
}

/** The bodies between a multipart's boundary lines, preamble and epilogue left out. */
function multipartParts(body: string, boundary: string): string[] {
  const parts: string[][] = [];
  let current: string[] | undefined;
  for (const line of body.split('\n')) {
    if (line.startsWith(`--${boundary}`)) {
      if (current) parts.push(current);
      if (line.slice(boundary.length + 2).startsWith('--')) return parts.map((lines) => lines.join('\n'));
      current = [];
    } else current?.push(line);
  }
  if (current) parts.push(current);
  return parts.map((lines) => lines.join('\n'));
}

/** A part's body as text, undoing the transfer encodings a DSN part may carry. */
function decodeBody(headers: Fields, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8').replace(/\r\n/g, '\n');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_all, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** "rfc822; ann@example.com" -> ann@example.com. */
const addressOf = (value: string | undefined) =>
  value
    ?.replace(/^[^;]*;/, '')
    .trim()
    .replace(/^<|>$/g, '') || undefined;

/** The id Touchpoint gave the returned message, from its headers. */
function messageIdOf(returned: Fields): string | undefined {
  const own = returned.get('x-touchpoint-message-id');
  if (own) return own;
  return returned.get('message-id')?.match(/<?([^<>@\s]+)@/)?.[1];
}

const STATUS_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_PARTS = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);

/** The bounce a raw message reports, or undefined when it is no delivery status notification. */
export function parseDsn(raw: string): Dsn | undefined {
  const message = splitEntity(raw.replace(/\r\n/g, '\n'));
  const boundary = parameter(message.headers, 'boundary');
  const isReport = mediaType(message.headers) === 'multipart/report' && parameter(message.headers, 'report-type')?.toLowerCase() === 'delivery-status';
  if (!isReport || !boundary) return undefined;

  const parts = multipartParts(message.body, boundary).map(splitEntity);
  const report = parts.find((part) => STATUS_PARTS.has(mediaType(part.headers)));
  if (!report) return undefined;
  // The first group is about the message, each further one about a recipient; Touchpoint writes to one.
  const groups = decodeBody(report.headers, report.body)
    .split(/\n\s*\n/)
    .filter((group) => group.trim() !== '');
  const recipient = groups.slice(1).map(parseFields)[0];
  if (!recipient) return undefined;

  const returned = parts.find((part) => RETURNED_PARTS.has(mediaType(part.headers)));
  const messageId = returned && messageIdOf(splitEntity(decodeBody(returned.headers, returned.body)).headers);
  const status = recipient.get('status')?.match(/^[245]\.\d{1,3}\.\d{1,3}/)?.[0];
  const action = recipient.get('action')?.toLowerCase();
  const found = addressOf(recipient.get('final-recipient') ?? recipient.get('original-recipient'));
  return {
    ...(messageId !== undefined && { messageId }),
    ...(found !== undefined && { recipient: found }),
    ...(status !== undefined && { status }),
    ...(action !== undefined && { action }),
    hard: status === undefined ? action === 'failed' : status.startsWith('5.'),
  };
}
