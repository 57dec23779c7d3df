/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// GET /api/openapi.json: the OpenAPI 3.1 document, built on every request from the live collections
// (cheap: three collections), so it always matches the schema the engine is running. /docs renders it.

routerAdd("GET", "/api/openapi.json", (e) => {
  const { COLLECTIONS, APP_NAME } = require(`${__hooks}/lib/schema.js`) as typeof import("./lib/schema");
  const { buildOpenApi } = require(`${__hooks}/lib/openapi.js`) as typeof import("./lib/openapi");
  // Plain JSON of the collections, exactly as GET /api/collections would return them.
  const collections = e.app.findAllCollections().map((collection) => JSON.parse(JSON.stringify(collection)));
  const document = buildOpenApi(collections, {
    title: `${APP_NAME} API`,
    version: "1.0.0",
    records: [COLLECTIONS.categories, COLLECTIONS.todos],
    auth: COLLECTIONS.users,
    // Filled in by pb_hooks/todos.pb.ts.
    serverFilled: { [COLLECTIONS.todos]: { owner: "Set by the server to the caller; only superusers may choose another owner." } },
  });
  e.response.header().set("Cache-Control", "no-cache");
  return e.json(200, document);
});
