// Renders /api/openapi.json, which the engine generates from its live collections.
const METHOD_ORDER = ["get", "post", "patch", "put", "delete"];

window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  // Collection paths first, then by verb in CRUD order (list, create, view, update, delete).
  operationsSorter: (a, b) =>
    a.get("path").localeCompare(b.get("path")) ||
    METHOD_ORDER.indexOf(a.get("method")) - METHOD_ORDER.indexOf(b.get("method")),
});
