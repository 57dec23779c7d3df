// ESLint, once for the whole repository: typescript-eslint's type-aware recommended rules (floating
// promises, misused promises, unsafe any, ...) over the Node code, the SDK, and the JSVM code; Prettier
// owns formatting (eslint-config-prettier turns off the rules it would fight with).
import eslint from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".engine/",
      ".build/",
      ".build-tmp-*/",
      "**/dist/",
      "pb_data/",
      "coverage/",
      "test-results/",
      "bench-results/",
      "pb_public/",
      ".cache/",
      "bundle*/",
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The Node code (tsconfig.json) and the JSVM code (tsconfig.pb.json, against the engine's types.d.ts).
        project: ["./tsconfig.json", "./tsconfig.pb.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The engine's JSVM (goja) has no ES modules: hooks and migrations are scripts that reference the
    // engine's types.d.ts and load helpers with require(); its error constructors (BadRequestError, ...)
    // are not Error subclasses in those types.
    files: ["pb_hooks/**/*.ts", "pb_migrations/**/*.ts"],
    rules: {
      "@typescript-eslint/triple-slash-reference": ["error", { path: "always", types: "never", lib: "never" }],
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/only-throw-error": "off",
    },
  },
  {
    // Declarations of the JSVM's globals (console, process, require) that its types.d.ts leaves out.
    files: ["pb_hooks/jsvm-globals.d.ts"],
    rules: { "no-var": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: "readonly", console: "readonly", URL: "readonly" },
    },
  },
  prettier,
);
