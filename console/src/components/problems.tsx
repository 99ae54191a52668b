/**
 * A refusal that names its problems by JSON pointer (TP_INVALID_POLICY,
 * TP_INVALID_CONDITION, TP_INVALID_CONTENT...) shown as one line per field,
 * so that the person editing sees where each problem is.
 */
import type { ApiError } from '../api.js';

export interface Problem {
  pointer: string;
  message: string;
}

/** The refusal's `problems` ("pointer: message" each) when it lists them, else read from its message. */
export function problemsOfError(error: ApiError): Problem[] {
  const listed = error.details.problems;
  if (!Array.isArray(listed) || !listed.every((p) => typeof p === 'string' && p.startsWith('/'))) return problemsOf(error.message);
  return listed.map(splitProblem);
}

function splitProblem(part: string): Problem {
  const colon = part.indexOf(': ');
  return colon < 0 ? { pointer: part, message: '' } : { pointer: part.slice(0, colon), message: part.slice(colon + 2) };
}

/** "The policy is not valid: /caps/0/max: must be ...; /colour: is not a field here." → one problem per pointer. */
export function problemsOf(message: string): Problem[] {
  const start = message.indexOf(': /');
  if (start < 0) return [];
  return message
    .slice(start + 2)
    .replace(/\.$/, '')
    .split(/; (?=\/)/)
    .map(splitProblem);
}

export function ProblemList(props: { error: ApiError | undefined }) {
  if (!props.error) return null;
  const problems = problemsOfError(props.error);
  if (problems.length === 0) {
    return (
      <div class="error" role="alert">
        <strong>{props.error.code}</strong> {props.error.message}
      </div>
    );
  }
  return (
    <div class="error" role="alert">
      <strong>{props.error.code}</strong> {props.error.message.slice(0, props.error.message.indexOf(': /') + 1)}
      <ul class="problems">
        {problems.map((p) => (
          <li key={p.pointer + p.message}>
            <code>{p.pointer || '/'}</code> {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
