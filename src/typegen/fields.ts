import type { EngineCollection, EngineField } from "../engine/collectionJson.js";

/** How one engine field appears in the generated record and input types and schemas. */
export interface FieldCode {
  name: string;
  /** One-line description for the doc comments; null when the name says it all. */
  doc: string | null;
  /** Description in the input types, when it differs from `doc`. */
  inputDoc?: string;
  /** Absent for hidden fields (password, tokenKey): the API never returns them. */
  record?: { type: string; schema: string; optional?: boolean };
  /** Absent when clients never send this field (id, autodates, server-set fields). */
  input?: { type: string; schema: string; create: "required" | "optional" | false; update: boolean };
  /** Names this field's code uses from field-schemas.ts. */
  helpers: string[];
}

export interface FieldContext {
  collection: EngineCollection;
  /** Collection id → name, to describe relations. */
  collectionNames: ReadonlyMap<string, string>;
  trimmed: ReadonlySet<string>;
  serverSet: ReadonlySet<string>;
}

/** Auth system fields that clients send only through dedicated flows, or never. */
const AUTH_FIELD_INPUT: Record<string, { create: boolean; update: boolean }> = {
  email: { create: true, update: false }, // changed through the email-change flow
  password: { create: true, update: false }, // changed with oldPassword, not by a plain update
  emailVisibility: { create: true, update: true },
  verified: { create: false, update: false }, // set by verification or a superuser
  tokenKey: { create: false, update: false },
};

/** Maps one field of the engine's collection JSON to TypeScript and zod code (null: not exposed at all). */
export function fieldCode(field: EngineField, context: FieldContext): FieldCode | null {
  const shape = fieldShape(field, context);
  const auth = context.collection.type === "auth" && field.system ? AUTH_FIELD_INPUT[field.name] : undefined;
  const allowed = auth ?? { create: true, update: true };
  const clientSent =
    shape.input !== undefined &&
    context.collection.type !== "view" &&
    !context.serverSet.has(field.name) &&
    !(field.type === "text" && field.primaryKey) &&
    (allowed.create || allowed.update) &&
    (!field.hidden || auth !== undefined);

  const code: FieldCode = { name: field.name, doc: shape.doc, helpers: [] };
  const inputDoc = shape.inputDoc ?? shape.doc;
  if (inputDoc) code.inputDoc = inputDoc;
  if (!field.hidden && auth && field.name === "email") {
    // The engine leaves the key out for viewers other than the owner unless emailVisibility is on.
    code.doc = "Email address; absent when the viewer may not see it (not the owner and emailVisibility off).";
    code.record = { type: shape.recordType, schema: `${shape.recordSchema}.optional()`, optional: true };
  } else if (!field.hidden) {
    code.record = { type: shape.recordType, schema: shape.recordSchema };
    code.helpers.push(...shape.helpers);
  }
  if (clientSent && shape.input) {
    code.input = {
      type: shape.input.type,
      schema: shape.input.schema,
      create: allowed.create ? (field.required ? "required" : "optional") : false,
      update: allowed.update,
    };
    code.helpers.push(...shape.input.helpers);
  }
  return code.record || code.input ? code : null;
}

interface Shape {
  doc: string | null;
  inputDoc?: string;
  recordType: string;
  recordSchema: string;
  helpers: string[];
  input?: { type: string; schema: string; helpers: string[] };
}

function fieldShape(field: EngineField, context: FieldContext): Shape {
  const required = field.required;
  const req = required ? "required" : "optional";
  switch (field.type) {
    case "text": {
      const max = field.max > 0 ? field.max : 5000;
      const pattern = jsPattern(field.pattern);
      const options = [`required: ${required}`, `min: ${field.min}`, `max: ${max}`];
      if (pattern) options.push(`pattern: ${pattern}`);
      if (context.trimmed.has(field.name)) options.push("trim: true");
      const limits = field.min > 0 ? `${field.min}–${max} characters` : `up to ${max} characters`;
      const trimmed = context.trimmed.has(field.name) ? ", trimmed by the server" : "";
      return {
        doc: field.primaryKey ? null : `Text, ${req}, ${limits}${trimmed}.`,
        recordType: "string",
        recordSchema: "z.string()",
        helpers: [],
        input: { type: "string", schema: `textInput({ ${options.join(", ")} })`, helpers: ["textInput"] },
      };
    }
    case "password": {
      const max = field.max > 0 ? field.max : 71;
      return {
        doc: `Password, ${field.min}–${max} characters; never returned.`,
        recordType: "string",
        recordSchema: "z.string()",
        helpers: [],
        input: { type: "string", schema: `textInput({ required: ${required}, min: ${field.min}, max: ${max} })`, helpers: ["textInput"] },
      };
    }
    case "editor":
      return simple(`Rich text (HTML), ${req}.`, "string", "z.string()", "z.string()");
    case "email":
      return withInput(simple(`Email address, ${req}.`, "string", "z.string()", ""), `emailInput({ required: ${required} })`, "emailInput");
    case "url":
      return withInput(simple(`URL, ${req}.`, "string", "z.string()", ""), `urlInput({ required: ${required} })`, "urlInput");
    case "number": {
      const options = `required: ${required}, min: ${field.min}, max: ${field.max}, onlyInt: ${field.onlyInt}`;
      return {
        doc: `Number, ${req}${field.onlyInt ? ", integer" : ""}${range(field.min, field.max)}.`,
        recordType: "number",
        recordSchema: "z.number()",
        helpers: [],
        input: { type: "number", schema: `numberInput({ ${options} })`, helpers: ["numberInput"] },
      };
    }
    case "bool":
      return required
        ? {
            doc: "Must be true.",
            recordType: "boolean",
            recordSchema: "z.boolean()",
            helpers: [],
            input: { type: "true", schema: "z.literal(true)", helpers: [] },
          }
        : simple(null, "boolean", "z.boolean()", "z.boolean()");
    case "date":
      return {
        doc: `Date-time like "2024-01-02 03:04:05.000Z", ${required ? "required" : `"" when empty`}.`,
        recordType: "string",
        recordSchema: "pbDateTimeOrEmpty",
        helpers: ["pbDateTimeOrEmpty"],
        input: { type: "string", schema: "z.string()", helpers: [] },
      };
    case "autodate":
      return {
        doc: field.onUpdate ? "Set by the server on every save." : "Set by the server when the record is created.",
        recordType: "string",
        recordSchema: "pbDateTime",
        helpers: ["pbDateTime"],
      };
    case "select": {
      const literals = field.values.map((value) => JSON.stringify(value));
      const union = literals.length ? literals.join(" | ") : "never";
      const enumSchema = `z.enum([${literals.join(", ")}])`;
      if (field.maxSelect > 1) {
        return {
          doc: `Up to ${field.maxSelect} of the allowed values, ${req}.`,
          recordType: `Array<${union}>`,
          recordSchema: `z.array(${enumSchema})`,
          helpers: [],
          input: {
            type: `Array<${union}>`,
            schema: `z.array(${enumSchema}).max(${field.maxSelect}, "Select no more than ${field.maxSelect}.")`,
            helpers: [],
          },
        };
      }
      return {
        doc: `One of the allowed values${required ? "" : `, or "" when empty`}.`,
        recordType: required ? union : `${union} | ""`,
        recordSchema: required ? enumSchema : `z.union([${enumSchema}, z.literal("")])`,
        helpers: [],
        input: { type: union, schema: enumSchema, helpers: [] },
      };
    }
    case "relation": {
      const target = JSON.stringify(context.collectionNames.get(field.collectionId) ?? field.collectionId);
      if (field.maxSelect > 1) {
        const options = `required: ${required}, minSelect: ${field.minSelect}, maxSelect: ${field.maxSelect}`;
        return {
          doc: `Ids of up to ${field.maxSelect} ${target} records, ${req}.`,
          recordType: "string[]",
          recordSchema: "z.array(z.string())",
          helpers: [],
          input: { type: "string[]", schema: `relationsInput({ ${options} })`, helpers: ["relationsInput"] },
        };
      }
      return {
        doc: `Id of a ${target} record, ${required ? "required" : `"" when empty`}.`,
        recordType: "string",
        recordSchema: "z.string()",
        helpers: [],
        input: { type: "string", schema: `relationInput({ required: ${required} })`, helpers: ["relationInput"] },
      };
    }
    case "file":
      return field.maxSelect > 1
        ? {
            doc: `File names (up to ${field.maxSelect}), ${req}.`,
            inputDoc: `Files to upload (up to ${field.maxSelect}), ${req}.`,
            recordType: "string[]",
            recordSchema: "z.array(z.string())",
            helpers: [],
            input: {
              type: "Blob[]",
              schema: `z.array(fileInput).max(${field.maxSelect}, "Select no more than ${field.maxSelect}.")`,
              helpers: ["fileInput"],
            },
          }
        : {
            doc: `File name, ${required ? "required" : `"" when empty`}.`,
            inputDoc: `A file to upload, ${req}.`,
            recordType: "string",
            recordSchema: "z.string()",
            helpers: [],
            input: { type: "Blob", schema: "fileInput", helpers: ["fileInput"] },
          };
    case "json":
      return simple(`Any JSON value, ${req}.`, "unknown", "z.unknown()", "z.unknown()");
    case "geoPoint": {
      const type = "{ lon: number; lat: number }";
      const schema = "z.object({ lon: z.number(), lat: z.number() })";
      return simple(`Longitude and latitude, ${req}.`, type, schema, schema);
    }
  }
}

function simple(doc: string | null, type: string, recordSchema: string, inputSchema: string): Shape {
  return {
    doc,
    recordType: type,
    recordSchema,
    helpers: [],
    ...(inputSchema ? { input: { type, schema: inputSchema, helpers: [] } } : {}),
  };
}

function withInput(shape: Shape, schema: string, helper: string): Shape {
  return { ...shape, input: { type: shape.recordType, schema, helpers: [helper] } };
}

function range(min: number | null, max: number | null): string {
  if (min !== null && max !== null) return `, ${min}–${max}`;
  if (min !== null) return `, at least ${min}`;
  if (max !== null) return `, at most ${max}`;
  return "";
}

/**
 * The field's Go regular expression as JavaScript source, or null when JavaScript cannot compile it
 * (the server still checks it; the client then skips the check instead of rejecting valid values).
 */
export function jsPattern(pattern: string): string | null {
  if (!pattern) return null;
  for (const flags of ["u", ""]) {
    try {
      new RegExp(pattern, flags);
      return `new RegExp(${JSON.stringify(pattern)}${flags ? `, ${JSON.stringify(flags)}` : ""})`;
    } catch {
      // try the next flag set
    }
  }
  return null;
}
