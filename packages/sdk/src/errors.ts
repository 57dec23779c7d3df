import { ClientResponseError } from "pocketbase";
import type { z } from "zod";

/**
 * Where a failure happened:
 * - `invalid_input`: refused by zod before any request was sent (status 400, as the server would answer);
 * - `api`: the server answered with an error (its HTTP status);
 * - `network`: no answer — connection refused, aborted (status 0);
 * - `invalid_response`: the server answered, but not in the shape the generated schema expects — the
 *   schema and the SDK drifted apart; run `npm run typegen` (status 0).
 */
export type StarterErrorKind = "invalid_input" | "api" | "network" | "invalid_response";

/** The one error every SDK method throws. `fields` maps a field path ("task", "2.task") to its message. */
export class StarterError extends Error {
  override readonly name = "StarterError";
  readonly kind: StarterErrorKind;
  readonly status: number;
  readonly fields: Readonly<Record<string, string>>;

  constructor(message: string, details: { kind: StarterErrorKind; status: number; fields?: Record<string, string>; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.kind = details.kind;
    this.status = details.status;
    this.fields = details.fields ?? {};
  }
}

/** Field path → first message, from zod issues; unknown keys are reported under their own name. */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  const add = (path: PropertyKey[], message: string) => {
    const key = path.map(String).join(".") || "input";
    fields[key] ??= message;
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") for (const key of issue.keys) add([...issue.path, key], "Unknown field.");
    else add(issue.path, issue.message);
  }
  return fields;
}

function describe(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
}

/** An input that failed its zod schema (no request was sent). */
export function invalidInput(what: string, error: z.ZodError): StarterError {
  const fields = zodFields(error);
  return new StarterError(`Invalid ${what}: ${describe(fields)}`, { kind: "invalid_input", status: 400, fields, cause: error });
}

/** A response that does not match the generated schema. */
export function invalidResponse(what: string, error: z.ZodError): StarterError {
  const fields = zodFields(error);
  return new StarterError(
    `Unexpected ${what} from the server (${describe(fields)}). The SDK and the schema have drifted apart: run \`npm run typegen\`.`,
    { kind: "invalid_response", status: 0, fields, cause: error },
  );
}

type ErrorData = Record<string, unknown>;

function isRecord(value: unknown): value is ErrorData {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{ field: { code, message } }` → `{ prefix+field: message }`. */
function serverFields(data: unknown, prefix: string, into: Record<string, string>): void {
  if (!isRecord(data)) return;
  for (const [field, value] of Object.entries(data)) {
    if (isRecord(value) && typeof value.message === "string") into[`${prefix}${field}`] ??= value.message;
  }
}

/**
 * A server error as a StarterError. Batch failures name the failing request by its index, so the field
 * "2.task" means the task of the third item, exactly like the zod paths of a list input.
 */
export function fromResponseError(error: ClientResponseError): StarterError {
  if (error.status === 0) {
    return new StarterError(`No answer from the server: ${error.message}`, { kind: "network", status: 0, cause: error });
  }
  const body = isRecord(error.response) ? error.response : {};
  const data = isRecord(body.data) ? body.data : {};
  const fields: Record<string, string> = {};
  let message = typeof body.message === "string" && body.message ? body.message : error.message;
  if (isRecord(data.requests)) {
    for (const [index, failure] of Object.entries(data.requests)) {
      const response = isRecord(failure) && isRecord(failure.response) ? failure.response : {};
      const before = Object.keys(fields).length;
      serverFields(response.data, `${index}.`, fields);
      if (Object.keys(fields).length === before && typeof response.message === "string") fields[index] = response.message;
    }
    message = `${message} Nothing was saved. ${describe(fields)}`.trim();
  } else {
    serverFields(data, "", fields);
    if (Object.keys(fields).length) message = `${message} ${describe(fields)}`;
  }
  return new StarterError(message, { kind: "api", status: error.status, fields, cause: error });
}

/** Anything thrown by the pocketbase SDK (or fetch) as a StarterError. */
export function toStarterError(error: unknown): StarterError {
  if (error instanceof StarterError) return error;
  if (error instanceof ClientResponseError) return fromResponseError(error);
  const message = error instanceof Error ? error.message : String(error);
  return new StarterError(`Request failed: ${message}`, { kind: "network", status: 0, cause: error });
}
