/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// Record behaviour the API rules cannot express, for every collection declared in lib/collections.ts
// (lib/recordRules.ts has the rules): owned records belong to the caller (any other owner, or a change
// of owner: a 403 naming the field; superusers excepted); declared text fields are trimmed; relations
// only point at records the caller may view; emails are stored lowercase; a sign-up gets its
// verification email where verification is required; a record that required relations still point
// at is not deleted. REST and batch alike (batch items run these same hooks).
//
// Handlers are registered only for the collections that need them (computed from the declaration when
// the hooks load), and each write runs one JS handler: every handler holds a pooled runtime.
{
  const rules = require(`${__hooks}/lib/recordRules.js`) as typeof import("./lib/recordRules");
  const writes = rules.writeHookCollections();
  const referenced = rules.referencedCollections();

  if (writes.length > 0) {
    onRecordCreateRequest(
      (e) => {
        const { afterCreate, beforeCreate } = require(`${__hooks}/lib/recordRules.js`) as typeof import("./lib/recordRules");
        beforeCreate(e);
        e.next();
        afterCreate(e);
      },
      ...writes,
    );

    onRecordUpdateRequest(
      (e) => {
        const { beforeUpdate } = require(`${__hooks}/lib/recordRules.js`) as typeof import("./lib/recordRules");
        beforeUpdate(e);
        e.next();
      },
      ...writes,
    );
  }

  if (referenced.length > 0) {
    onRecordDelete(
      (e) => {
        const { refuseDeleteInUse } = require(`${__hooks}/lib/recordRules.js`) as typeof import("./lib/recordRules");
        refuseDeleteInUse(e);
        e.next();
      },
      ...referenced,
    );
  }
}
