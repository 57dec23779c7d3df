// Globals of PocketBase's JSVM (goja + goja_nodejs) that the engine's types.d.ts does not declare.

/** CommonJS require of goja_nodejs: use absolute paths built from `__hooks`. */
declare function require(path: string): unknown;

declare var console: {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
};

declare var process: { env: Record<string, string | undefined> };
