/**
 * The catalogue of every error Touchpoint reports to a client. Codes are stable:
 * clients may branch on them. docs/errors.md documents each one; a test checks
 * that the two agree.
 */
export const errorCatalogue = {
  TP_INVALID_JSON: { status: 400, title: 'The body is not valid JSON.' },
  TP_INVALID_BATCH: { status: 400, title: 'The body is not a batch envelope.' },
  TP_EMPTY_BATCH: { status: 400, title: 'The batch holds no messages.' },
  TP_BATCH_REJECTED: { status: 400, title: 'Every message of the batch was rejected.' },
  TP_INVALID_EVENT: { status: 400, title: 'A message field has the wrong type or form.' },
  TP_MISSING_TYPE: { status: 400, title: 'A message has no type.' },
  TP_UNKNOWN_TYPE: { status: 400, title: 'A message has a type Touchpoint does not know.' },
  TP_MISSING_IDENTITY: { status: 400, title: 'A message has neither userId nor anonymousId.' },
  TP_MISSING_FIELD: { status: 400, title: 'A message lacks a field its type requires.' },
  TP_INVALID_TIMESTAMP: { status: 400, title: 'A timestamp is not an ISO 8601 date.' },
  TP_FUTURE_TIMESTAMP: { status: 400, title: 'A message is dated more than a day after it was received.' },
  TP_TOO_DEEP: { status: 400, title: 'A message nests objects or arrays more than 64 levels deep.' },
  TP_MESSAGE_TOO_LARGE: { status: 413, title: 'A message is larger than 32 KB.' },
  TP_BODY_TOO_LARGE: { status: 413, title: 'The request body is larger than the limit.' },
  TP_UNSUPPORTED_ENCODING: { status: 415, title: 'The Content-Encoding is not supported.' },
  TP_INVALID_ENCODING: { status: 400, title: 'The compressed body could not be decompressed.' },
  TP_MISSING_WRITE_KEY: { status: 401, title: 'No write key was given.' },
  TP_INVALID_WRITE_KEY: { status: 401, title: 'The write key is not valid.' },
  TP_UNAUTHORIZED: { status: 401, title: 'Neither a valid admin token nor a signed-in session.' },
  TP_INVALID_CREDENTIALS: { status: 401, title: 'The email or the password is wrong.' },
  TP_TOO_MANY_ATTEMPTS: { status: 429, title: 'Too many failed password checks for that email; wait before trying again.' },
  TP_WRONG_PASSWORD: { status: 403, title: 'The current password is wrong.' },
  TP_USER_DISABLED: { status: 403, title: 'The user is disabled and cannot sign in.' },
  TP_CSRF: { status: 403, title: 'A signed-in request that changes something lacks the x-csrf-token header, or came from another site.' },
  TP_FORBIDDEN: { status: 403, title: "The signed-in user's role does not allow this." },
  TP_INVALID_PASSWORD: { status: 400, title: 'The new password does not follow the rule.' },
  TP_USER_NOT_FOUND: { status: 404, title: 'No user has that id or email.' },
  TP_USER_EXISTS: { status: 409, title: 'A user with that email exists already.' },
  TP_LAST_ADMIN: { status: 409, title: 'The change would leave no admin.' },
  TP_VALIDATION: { status: 400, title: 'The request does not match the API schema.' },
  TP_INVALID_CURSOR: { status: 400, title: 'The pagination cursor is not valid.' },
  TP_SOURCE_NOT_FOUND: { status: 404, title: 'No source has that id or name.' },
  TP_SOURCE_NAME_TAKEN: { status: 409, title: 'A source with that name exists already.' },
  TP_INVALID_CONDITION: { status: 400, title: 'A segment or lifecycle condition is not valid.' },
  TP_SEGMENT_IN_USE: { status: 409, title: 'Other segments or lifecycle stages refer to this segment.' },
  TP_SEGMENT_NOT_FOUND: { status: 404, title: 'No segment has that id or name.' },
  TP_SEGMENT_EXISTS: { status: 409, title: 'A segment with that name exists already.' },
  TP_PROFILE_NOT_FOUND: { status: 404, title: 'No profile has that id or identifier.' },
  TP_MERGE_NOT_FOUND: { status: 404, title: 'No merge to undo.' },
  TP_HOUSEHOLD_NOT_FOUND: { status: 404, title: 'No household has that id.' },
  TP_COMPUTED_TRAIT_NOT_FOUND: { status: 404, title: 'No computed trait has that id or name.' },
  TP_COMPUTED_TRAIT_EXISTS: { status: 409, title: 'A computed trait with that name exists already.' },
  TP_JOB_NOT_FOUND: { status: 404, title: 'No job has that id.' },
  TP_INVALID_JOURNEY: { status: 400, title: 'A journey definition is not valid.' },
  TP_INVALID_POLICY: { status: 400, title: 'The contact policy document is not valid.' },
  TP_JOURNEY_NOT_FOUND: { status: 404, title: 'No journey has that id or name.' },
  TP_JOURNEY_EXISTS: { status: 409, title: 'A journey with that name exists already.' },
  TP_JOURNEY_STATUS: { status: 409, title: 'The journey cannot go to that status from the one it is in.' },
  TP_MESSAGE_NOT_FOUND: { status: 404, title: 'No message has that id.' },
  TP_MESSAGE_NOT_SENT: { status: 409, title: 'The message was not sent, so it has no delivery outcome.' },
  TP_CONTENT_NOT_FOUND: { status: 404, title: 'No content item has that id or name.' },
  TP_CONTENT_EXISTS: { status: 409, title: 'A content item with that name exists already.' },
  TP_INVALID_CONTENT: { status: 400, title: 'A content item does not have the form the schema asks.' },
  TP_INVALID_TEMPLATE: { status: 400, title: 'A Liquid template of a content item does not parse or could not be rendered.' },
  TP_CONTENT_NO_VARIANT: { status: 422, title: 'The content item has no variant for that channel.' },
  TP_CONTENT_IN_USE: { status: 409, title: 'Journeys use this content item.' },
  TP_CHANNEL_NOT_FOUND: { status: 404, title: 'No delivery channel is configured with that name.' },
  TP_DEAD_LETTER_NOT_FOUND: { status: 404, title: 'The channel has no dead letter with that id.' },
  TP_INVALID_SIGNATURE: { status: 401, title: 'The webhook signature is missing, stale or does not match.' },
  TP_INVALID_BOUNCE: { status: 400, title: 'The bounce report names no message or recipient, or is not a delivery status notification.' },
  TP_SUPPRESSION_NOT_FOUND: { status: 404, title: 'That address is not suppressed on that channel.' },
  TP_DESTINATION_NOT_FOUND: { status: 404, title: 'No destination has that id or name.' },
  TP_DESTINATION_EXISTS: { status: 409, title: 'A destination with that name exists already.' },
  TP_INVALID_DESTINATION: { status: 400, title: 'A destination setting is not valid.' },
  TP_REPORT_NOT_FOUND: { status: 404, title: 'No report has that name.' },
  TP_INVALID_PARAMETER: { status: 400, title: 'A report parameter is missing, unknown or not valid.' },
  TP_INVALID_PATHS: { status: 400, title: 'A path table for attribution cannot be read.' },
  TP_NOT_FOUND: { status: 404, title: 'No such route.' },
  TP_METHOD_NOT_ALLOWED: { status: 405, title: 'The path exists, but not with that method.' },
  TP_NOT_READY: { status: 503, title: 'Touchpoint is not ready to serve.' },
  TP_INTERNAL: { status: 500, title: 'An unexpected error; the server log has the details.' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** An expected failure that reaches a client as `{error: {code, message}}`. */
export class TouchpointError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'TouchpointError';
    this.status = errorCatalogue[code].status;
  }
}
