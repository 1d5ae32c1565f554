/**
 * Stable error codes. The CLI maps each to an exit status (bad input: 2); across a worker boundary an error
 * travels as `{ code, message }` plain data.
 */
export type MstressErrorCode =
  | "E_BAD_INPUT"
  | "E_SCENARIO_SCHEMA"
  | "E_SCENARIO_YAML"
  | "E_UNKNOWN_VENUE"
  | "E_UNKNOWN_SYMBOL"
  | "E_VENUE_SCHEMA"
  | "E_VENUE_RESPONSE"
  | "E_INVARIANT"
  | "E_INTERRUPTED";

/** An error whose message is one line naming the field and what was expected. */
export class MstressError extends Error {
  readonly code: MstressErrorCode;

  constructor(code: MstressErrorCode, message: string) {
    super(message);
    this.name = "MstressError";
    this.code = code;
  }

  /** Input errors are the user's to fix (exit 2); anything else is ours. */
  get isInputError(): boolean {
    return this.code !== "E_INVARIANT";
  }
}

export function isMstressError(value: unknown): value is MstressError {
  return value instanceof MstressError;
}
