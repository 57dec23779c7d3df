// Parsers for text that the engine parses with Go where the guard cannot call Go: realtime topics (a URL
// query holding JSON options) and batch item URLs. The guard must see exactly what the engine will use,
// so anything the two parsers could read differently is refused (null) instead of guessed. Pure: the
// JSVM and Node (tests) load it alike.

/**
 * The values of `keys` in a URL query string ("a=1&filter=..."), as Go's url.ParseQuery reads it. Refused:
 * a pair holding ";" (Go drops it), a value that does not decode, or a key given twice (Go takes the first).
 */
export function strictQuery<K extends string>(rawQuery: string, keys: readonly K[]): Record<K, string | null> | null {
  const values = Object.fromEntries(keys.map((key) => [key, null])) as Record<K, string | null>;
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    if (pair.includes(";")) return null;
    const eq = pair.indexOf("=");
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? "" : pair.slice(eq + 1));
    if (name === null || value === null) return null;
    if ((keys as readonly string[]).includes(name)) {
      if (values[name as K] !== null) return null;
      values[name as K] = value;
    }
  }
  return values;
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/**
 * A JSON object as Go's encoding/json/v2 reads it, for realtime subscription options. Refused: anything
 * but an object, and a name given twice in any object. JSON.parse keeps the last of two names; the
 * engine's decoder keeps the first and ignores its own duplicate-name error, so a second "filter" hid
 * the first from the guard (docs/SECURITY.md, "Attacks on the guard itself"). A string holding half of a
 * surrogate pair is refused too: Go would not decode it to the same text.
 */
export function strictJsonObject(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  // The text is valid JSON here, so a flat scan suffices: each object's names, skipping strings whole.
  const open: (Set<string> | null)[] = []; // one entry per open object (its names) or array (null)
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      const decoded = JSON.parse(text.slice(i, end + 1)) as string;
      if (hasLoneSurrogate(decoded)) return null;
      const names = open[open.length - 1];
      if (expectName && names) {
        if (names.has(decoded)) return null;
        names.add(decoded);
      }
      expectName = false;
      i = end;
    } else if (ch === "{" || ch === "[") {
      open.push(ch === "{" ? new Set() : null);
      expectName = ch === "{";
    } else if (ch === "}" || ch === "]") {
      open.pop();
      expectName = false;
    } else if (ch === ",") {
      expectName = Boolean(open[open.length - 1]);
    }
  }
  return value as Record<string, unknown>;
}

function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/**
 * The collection a realtime topic names: "<collection>/<id or *>?options=..." or the engine's older
 * "<collection>?options=...". It ends at the first "/" or "?", whichever comes first: a "/" inside the
 * options is not part of it.
 */
export function topicCollection(topic: string): string {
  const end = topic.search(/[/?]/);
  return end < 0 ? topic : topic.slice(0, end);
}
