/**
 * An engine problem the user can act on. Its message is one plain line (printed without a stack trace
 * by the command-line scripts); `hint` says what to do about it.
 */
export class EngineError extends Error {
  override readonly name: string = "EngineError";
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The engine could not listen: another program holds its port. Ephemeral engines retry on another one. */
export class PortInUseError extends EngineError {
  override readonly name: string = "PortInUseError";
}
