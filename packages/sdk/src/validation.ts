import type { z } from "zod";
import { invalidInput, invalidResponse, toStarterError } from "./errors.js";

/** Validates an input before any request; throws a StarterError listing every field issue. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(what, result.error);
  return result.data;
}

/** Parses a response, so a schema drift is caught here instead of deep inside the caller's code. */
export function parseResponse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidResponse(what, result.error);
  return result.data;
}

/** Sends a request and parses its answer; every failure becomes a StarterError. */
export async function request<S extends z.ZodType>(schema: S, what: string, send: () => Promise<unknown>): Promise<z.output<S>> {
  let value: unknown;
  try {
    value = await send();
  } catch (error) {
    throw toStarterError(error);
  }
  return parseResponse(schema, value, what);
}
