import type { Source, Sources } from '../collect/index.js';
import { TouchpointError } from '../errors.js';

/** The write key: the user name of HTTP Basic auth (Segment, RudderStack), else `writeKey` in the body. */
export function readWriteKey(authorization: string | undefined, bodyKey: string | undefined): string | undefined {
  const match = authorization?.match(/^Basic\s+(\S+)$/i);
  if (match) {
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const user = decoded.split(':')[0]!;
    if (user !== '') return user;
  }
  return bodyKey === '' ? undefined : bodyKey;
}

export async function authenticateSource(sources: Sources, writeKey: string | undefined): Promise<Source> {
  if (writeKey === undefined) {
    throw new TouchpointError(
      'TP_MISSING_WRITE_KEY',
      'Send the source write key as the HTTP Basic user name (Authorization: Basic base64("KEY:")) or as "writeKey" in the body.',
    );
  }
  const source = await sources.authenticate(writeKey);
  if (!source) throw new TouchpointError('TP_INVALID_WRITE_KEY', 'The write key matches no source. Check it, or create a source with POST /api/sources.');
  return source;
}
