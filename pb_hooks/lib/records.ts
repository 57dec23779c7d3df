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

/** The collection and id a batch upsert (PUT …/records with a body id) would update first, or null. */
export function batchUpsertTarget(request: { method: string; url: string; body?: Record<string, unknown> | null }): {
  collection: string;
  id: string;
} | null {
  if (request.method.toUpperCase() !== "PUT") return null;
  // Same pattern the engine uses to route a batch upsert.
  const match = /^\/api\/collections\/([^/?]+)\/records(\?.*)?$/.exec(request.url);
  const raw = request.body ? request.body.id : undefined;
  if (!match || raw === undefined || raw === null || raw === "") return null;
  return { collection: match[1]!, id: String(raw) };
}
