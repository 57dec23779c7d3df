/**
 * Realtime needs a global EventSource. Browsers have one; Node 20 does not, so the first subscription
 * loads the `eventsource` package there (lazily: nothing Node-specific is imported at load time).
 */
export async function ensureEventSource(): Promise<void> {
  if (typeof globalThis.EventSource !== "undefined") return;
  const { EventSource } = await import("eventsource");
  (globalThis as { EventSource?: unknown }).EventSource = EventSource;
}
