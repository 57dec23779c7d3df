// zod builders that check inputs the way the engine's fields do, with the engine's own messages, so a
// value refused here would be refused by the server with the same words (and the reverse).
import { z } from "zod";

/** Date-times as the engine writes them, e.g. "2024-01-02 03:04:05.678Z". */
export const pbDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?Z$/, "Expected a date like 2024-01-02 03:04:05.000Z.");

/** A date field that may be empty (the engine stores "" for "no date"). */
export const pbDateTimeOrEmpty = z.union([z.literal(""), pbDateTime]);

/** Characters as the engine counts them: Unicode code points, so an emoji is one character. */
export function charCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

export interface TextInputOptions {
  required: boolean;
  /** Minimum length in characters; checked only for non-empty values, like the engine. */
  min: number;
  max: number;
  pattern?: RegExp;
  /** The server trims this field before validating it (a hook does), so trim here too. */
  trim?: boolean;
}

/** A text (or password) input: blank, min, max and pattern checks, in the engine's order. */
export function textInput(options: TextInputOptions) {
  const base = options.trim ? z.string().trim() : z.string();
  return base.superRefine((value, ctx) => {
    if (value === "") {
      if (options.required) ctx.addIssue({ code: "custom", message: "Cannot be blank." });
      return;
    }
    const length = charCount(value);
    if (length < options.min) ctx.addIssue({ code: "custom", message: `Must be at least ${options.min} character(s).` });
    if (length > options.max) ctx.addIssue({ code: "custom", message: `Must be no more than ${options.max} character(s).` });
    if (options.pattern && !options.pattern.test(value)) ctx.addIssue({ code: "custom", message: "Invalid value format." });
  });
}

/** An email input; empty is allowed only when the field is optional. */
export function emailInput(options: { required: boolean }) {
  return z.string().superRefine((value, ctx) => {
    if (value === "") {
      if (options.required) ctx.addIssue({ code: "custom", message: "Cannot be blank." });
    } else if (!z.email().safeParse(value).success) {
      ctx.addIssue({ code: "custom", message: "Must be a valid email address." });
    }
  });
}

/** A URL input; empty is allowed only when the field is optional. */
export function urlInput(options: { required: boolean }) {
  return z.string().superRefine((value, ctx) => {
    if (value === "") {
      if (options.required) ctx.addIssue({ code: "custom", message: "Cannot be blank." });
    } else if (!z.url().safeParse(value).success) {
      ctx.addIssue({ code: "custom", message: "Must be a valid url." });
    }
  });
}

/** A number input: the engine treats 0 as blank for required fields. */
export function numberInput(options: { required: boolean; min: number | null; max: number | null; onlyInt: boolean }) {
  return z.number().superRefine((value, ctx) => {
    if (!Number.isFinite(value)) ctx.addIssue({ code: "custom", message: "The value must be a finite number." });
    if (options.required && value === 0) ctx.addIssue({ code: "custom", message: "Cannot be blank." });
    if (options.onlyInt && !Number.isInteger(value)) ctx.addIssue({ code: "custom", message: "Decimal numbers are not allowed." });
    if (options.min !== null && value < options.min)
      ctx.addIssue({ code: "custom", message: `Must be greater or equal than ${options.min}.` });
    if (options.max !== null && value > options.max)
      ctx.addIssue({ code: "custom", message: `Must be less or equal than ${options.max}.` });
  });
}

/** The id of one related record. */
export function relationInput(options: { required: boolean }) {
  return z.string().superRefine((value, ctx) => {
    if (options.required && value === "") ctx.addIssue({ code: "custom", message: "Cannot be blank." });
  });
}

/** Ids of several related records. */
export function relationsInput(options: { required: boolean; minSelect: number; maxSelect: number }) {
  return z.array(z.string().min(1, "Cannot be blank.")).superRefine((value, ctx) => {
    if (options.required && value.length === 0) ctx.addIssue({ code: "custom", message: "Cannot be blank." });
    if (value.length > 0 && value.length < options.minSelect) {
      ctx.addIssue({ code: "custom", message: `Select at least ${options.minSelect}.` });
    }
    if (value.length > options.maxSelect) ctx.addIssue({ code: "custom", message: `Select no more than ${options.maxSelect}.` });
  });
}

/** A file to upload (a File is a Blob). */
export const fileInput = z.instanceof(Blob, { message: "Expected a File or Blob." });
