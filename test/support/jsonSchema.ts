// A small JSON Schema (2020-12 subset) checker for the contract test: enough for the schemas
// pb_hooks/lib/openapi.ts emits. Unknown keywords throw instead of passing silently, so a generator
// change that uses a new keyword makes the test fail until the checker understands it.

export type Schema = { [keyword: string]: unknown };

const ANNOTATIONS = new Set([
  "description",
  "title",
  "examples",
  "example",
  "default",
  "readOnly",
  "writeOnly",
  "deprecated",
  "format",
  "$comment",
]);
const ASSERTIONS = new Set([
  "$ref",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "anyOf",
  "oneOf",
  "allOf",
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(actual: string, expected: string): boolean {
  return actual === expected || (expected === "number" && actual === "integer");
}

/**
 * Errors (as "path: problem" lines) of `value` against `schema`; empty when it conforms. `$ref`s of
 * the form "#/a/b" are resolved in `root` (the OpenAPI document).
 */
export function checkJsonSchema(value: unknown, schema: Schema, root: object, at = "$"): string[] {
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) throw new Error(`jsonSchema: unsupported keyword "${keyword}" at ${at}`);
  }
  const errors: string[] = [];
  const fail = (problem: string) => errors.push(`${at}: ${problem}`);
  if (typeof schema.$ref === "string") errors.push(...checkJsonSchema(value, resolveRef(schema.$ref, root), root, at));

  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(actual, t))) return [...errors, `${at}: expected ${types.join("|")}, got ${actual}`];
  }
  if (schema.const !== undefined && JSON.stringify(value) !== JSON.stringify(schema.const))
    fail(`expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof schema.minLength === "number" && length < schema.minLength) fail(`shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === "number" && length > schema.maxLength) fail(`longer than ${schema.maxLength}`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) fail(`does not match ${schema.pattern}`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) fail(`less than ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) fail(`greater than ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) fail(`fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) fail(`more than ${schema.maxItems} items`);
    if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) fail("items are not unique");
    if (schema.items && typeof schema.items === "object") {
      value.forEach((item, i) => errors.push(...checkJsonSchema(item, schema.items as Schema, root, `${at}[${i}]`)));
    }
  }
  if (actual === "object") errors.push(...checkObject(value as Record<string, unknown>, schema, root, at));
  for (const sub of (schema.allOf as Schema[] | undefined) ?? []) errors.push(...checkJsonSchema(value, sub, root, at));
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((sub: Schema) => checkJsonSchema(value, sub, root, at).length === 0)) {
    fail("matches none of anyOf");
  }
  if (Array.isArray(schema.oneOf)) {
    const matches = schema.oneOf.filter((sub: Schema) => checkJsonSchema(value, sub, root, at).length === 0).length;
    if (matches !== 1) fail(`matches ${matches} of oneOf, expected exactly 1`);
  }
  return errors;
}

function checkObject(value: Record<string, unknown>, schema: Schema, root: object, at: string): string[] {
  const errors: string[] = [];
  const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
  for (const name of (schema.required as string[] | undefined) ?? []) {
    if (!(name in value)) errors.push(`${at}: missing required property "${name}"`);
  }
  if (typeof schema.minProperties === "number" && Object.keys(value).length < schema.minProperties) {
    errors.push(`${at}: fewer than ${schema.minProperties} properties`);
  }
  for (const [name, item] of Object.entries(value)) {
    const sub = properties[name];
    if (sub) errors.push(...checkJsonSchema(item, sub, root, `${at}.${name}`));
    else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property "${name}"`);
    else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
      errors.push(...checkJsonSchema(item, schema.additionalProperties as Schema, root, `${at}.${name}`));
    }
  }
  return errors;
}

/** Resolves a local "#/components/schemas/X" reference in the document. */
export function resolveRef(ref: string, root: object): Schema {
  if (!ref.startsWith("#/")) throw new Error(`jsonSchema: only local $refs are supported, got ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) {
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  }
  if (!node || typeof node !== "object") throw new Error(`jsonSchema: unresolved $ref ${ref}`);
  return node as Schema;
}
