// The parts of an OpenAPI document the tests read, typed, so assertions navigate a known shape (a wrong
// guess still fails the assertion; it just cannot slip through as `any`).

export interface SchemaShape {
  type?: string | string[];
  $ref?: string;
  properties?: Record<string, SchemaShape>;
  required?: string[];
  items?: SchemaShape;
  [keyword: string]: unknown;
}

export interface OperationShape {
  operationId?: string;
  description?: string;
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; schema?: SchemaShape }>;
  requestBody?: { content: Record<string, { schema: SchemaShape }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: SchemaShape }> }>;
  [key: string]: unknown;
}

export interface DocumentShape {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, OperationShape>>;
  components: { schemas: Record<string, SchemaShape>; securitySchemes: Record<string, SchemaShape> };
}
