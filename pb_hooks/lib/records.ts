// Small record helpers shared by hook handlers (loaded with require() inside each handler).

/** Trims a text field in place, so limits and uniqueness apply to what the user meant to write. */
export function trimTextField(record: core.Record, field: string): void {
  const value = record.get(field);
  if (typeof value === "string" && value !== value.trim()) record.set(field, value.trim());
}

/** A 400 whose body names the field and the reason, like the engine's own validation errors. */
export function fieldError(field: string, code: string, message: string): BadRequestError {
  return new BadRequestError(message, { [field]: new ValidationError(code, message) });
}
