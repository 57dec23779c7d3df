import { z } from "zod";
import { UserError } from "../errors.js";

/**
 * The engine's rules for a superuser password (core/field_password.go): 8 to 71 characters. bcrypt
 * only hashes the first 72 bytes and the engine silently truncates longer input, so we also refuse
 * passwords over 72 UTF-8 bytes (possible with multi-byte characters) instead of truncating them.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 71;
export const PASSWORD_MAX_BYTES = 72;

export const superuserEmailSchema = z.email("is not a valid email address");

export const superuserPasswordSchema = z
  .string()
  .refine((p) => [...p].length >= PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .refine((p) => [...p].length <= PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)
  .refine((p) => Buffer.byteLength(p, "utf8") <= PASSWORD_MAX_BYTES, `must be at most ${PASSWORD_MAX_BYTES} bytes (bcrypt limit)`);

export interface SuperuserCredentials {
  email: string;
  password: string;
}

/**
 * Checks an email/password pair before the engine sees it, so mistakes come back as one plain line
 * (never echoing the password). Returns the trimmed email.
 */
export function validateSuperuserCredentials(email: string, password: string): SuperuserCredentials {
  const trimmed = email.trim();
  const emailResult = superuserEmailSchema.safeParse(trimmed);
  if (!emailResult.success) throw new UserError(`Email "${trimmed}" ${emailResult.error.issues[0]?.message ?? "is invalid"}.`);
  const passwordResult = superuserPasswordSchema.safeParse(password);
  if (!passwordResult.success) throw new UserError(`Password ${passwordResult.error.issues[0]?.message ?? "is invalid"}.`);
  return { email: trimmed, password };
}
