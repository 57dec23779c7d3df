/** "todos" → "Todo", "categories" → "Category", "user_profiles" → "UserProfile". */
export function typeNameFor(collection: string): string {
  const pascal = collection
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
  if (/ies$/.test(pascal)) return pascal.replace(/ies$/, "y");
  if (/(ss|us)$/.test(pascal)) return pascal;
  return pascal.replace(/s$/, "");
}

/** "Todo" → "todo" (for schema constant names). */
export function lowerFirst(name: string): string {
  return name[0]!.toLowerCase() + name.slice(1);
}

/** A property key, quoted only when it is not a plain identifier. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
