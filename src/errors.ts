/** An error whose message is meant for the person at the terminal (no stack trace): bad input, a missing server. */
export class UserError extends Error {
  override readonly name = "UserError";
}
