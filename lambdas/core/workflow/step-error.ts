/**
 * The one reading of a Step Functions error (`{ Error, Cause }`), shared by Record Failure and the
 * local runner. For a Task failure `Cause` is the Lambda error JSON (`{"errorType","errorMessage",
 * "trace"}`); for `States.*` errors and local failures it is plain text.
 */

/** The Lambda cause JSON's `errorMessage`, or the cause as is (a non-string as JSON, nothing as ''). */
export function causeMessage(cause: unknown): string {
  if (cause === undefined || cause === null) return '';
  if (typeof cause !== 'string') return JSON.stringify(cause);
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed !== null && typeof parsed === 'object' && 'errorMessage' in parsed) {
      const message = (parsed as { errorMessage: unknown }).errorMessage;
      if (typeof message === 'string') return message;
    }
  } catch {
    // not JSON: a plain message
  }
  return cause;
}

/** Name and message of a Step Functions error; the name stands in for a missing or empty message. */
export function describeError(error: { Error: string; Cause?: string | undefined }): {
  name: string;
  message: string;
} {
  return { name: error.Error, message: causeMessage(error.Cause) || error.Error };
}
