import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NodemailerError } from 'nodemailer';
import { classifySmtpError } from './smtp.js';

const error = (fields: Partial<NodemailerError>): NodemailerError => Object.assign(new Error('failed'), fields);

const cases: [string, Partial<NodemailerError>, string, string][] = [
  ['a rejected recipient', { code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user' }, 'failed', 'smtp_rejected'],
  ['a refused message body', { code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 Spam' }, 'failed', 'smtp_rejected'],
  ['a greylisting', { code: 'EENVELOPE', responseCode: 451, response: '451 4.7.1 Try later' }, 'retry', 'smtp_deferred'],
  ['a server going away', { code: 'ECONNECTION', responseCode: 421, response: '421 Closing' }, 'retry', 'smtp_deferred'],
  ['a session out of step (503)', { code: 'EPROTOCOL', responseCode: 503, response: '503 Bad sequence' }, 'retry', 'smtp_deferred'],
  ['a refused login', { code: 'EAUTH', responseCode: 535, response: '535 Bad login' }, 'retry', 'smtp_auth'],
  ['a timeout', { code: 'ETIMEDOUT' }, 'retry', 'smtp_timeout'],
  ['a refused connection', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'retry', 'smtp_unreachable'],
  ['a dropped connection', { code: 'ECONNECTION' }, 'retry', 'smtp_unreachable'],
  ['a failed STARTTLS', { code: 'ETLS' }, 'retry', 'smtp_tls'],
  ['a certificate that does not verify', { code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'retry', 'smtp_tls'],
];

for (const [what, fields, kind, reason] of cases) {
  it(`classifies ${what} as ${kind} (${reason})`, () => {
    const result = classifySmtpError(error(fields), 12);
    assert.deepEqual([result.kind, 'reason' in result && result.reason], [kind, reason]);
    assert.equal(result.response?.ms, 12);
    if (fields.responseCode) assert.deepEqual([result.response?.status, result.response?.smtp], [fields.responseCode, fields.response]);
    else assert.equal(result.response?.body, 'failed');
  });
}
