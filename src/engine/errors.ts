/**
 * An engine problem the user can act on. Its message is one plain line (printed without a stack trace
 * by the command-line scripts); `hint` says what to do about it.
 */
export class EngineError extends Error {
  override readonly name = "EngineError";
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
