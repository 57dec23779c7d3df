// Small record helpers shared by hook handlers (loaded with require() inside each handler).

/** Trims a text field in place, so limits and uniqueness apply to what the user meant to write. */
export function trimTextField(record: core.Record, field: string): void {
  const value = record.get(field);
  if (typeof value === "string" && value !== value.trim()) record.set(field, value.trim());
}

/** An error whose body names the field and the reason, like the engine's own validation errors. */
export function fieldError(field: string, code: string, message: string, status: 400 | 403 = 400): ApiError {
  return new ApiError(status, message, { [field]: new ValidationError(code, message) });
}
