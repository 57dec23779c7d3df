/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// GET /api/openapi.json: the OpenAPI 3.1 document, built on every request from the live collections (so it
// always matches the schema the engine is running) and the declarations (which collections the API offers,
// which fields the server fills in). /docs renders it.

routerAdd("GET", "/api/openapi.json", (e) => {
  const { COLLECTIONS } = require(`${__hooks}/lib/collections.js`) as typeof import("./lib/collections");
  const { serverSetFields } = require(`${__hooks}/lib/declaration.js`) as typeof import("./lib/declaration");
  const { APP_NAME } = require(`${__hooks}/lib/settings.js`) as typeof import("./lib/settings");
  const { buildOpenApi } = require(`${__hooks}/lib/openapi.js`) as typeof import("./lib/openapi");
  const declared = Object.entries(COLLECTIONS) as Array<[string, import("./lib/declaration").CollectionDeclaration]>;
  const serverFilled: Record<string, Record<string, string>> = {};
  for (const [name, declaration] of declared) {
    for (const field of serverSetFields(declaration)) {
      (serverFilled[name] ??= {})[field] = "Set by the server to the caller; only superusers may choose another.";
    }
  }
  // Plain JSON of the collections, exactly as GET /api/collections would return them.
  const collections = e.app
    .findAllCollections()
    .map((collection) => JSON.parse(JSON.stringify(collection)) as import("./lib/openapi").CollectionJson);
  const document = buildOpenApi(collections, {
    title: `${APP_NAME} API`,
    version: "1.0.0",
    records: declared.filter(([, d]) => d.policy !== "account").map(([name]) => name),
    auth: declared.find(([, d]) => d.policy === "account")?.[0] ?? "users",
    serverFilled,
  });
  e.response.header().set("Cache-Control", "no-cache");
  return e.json(200, document);
});
