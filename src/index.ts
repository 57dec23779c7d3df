// The package entry point: the typed client and everything generated from the schema.
export * from "./sdk/index.js";
export * from "./generated/index.js";
