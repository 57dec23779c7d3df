/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// Auth routes the typed SDK needs beyond the engine's built-in ones. Custom routes live under /api/starter/.

// Log out everywhere: every token the engine issues is signed with the user's tokenKey, so a new key
// invalidates all of them at once (every device, the caller's own token included). Answers 204.
routerAdd(
  "POST",
  "/api/starter/logout-everywhere",
  (e) => {
    // Reload the record instead of saving e.auth: the save must not carry anything but the new key.
    const user = e.app.findRecordById("users", e.auth!.id);
    user.refreshTokenKey();
    e.app.save(user);
    e.noContent(204);
  },
  $apis.requireAuth("users"),
);

// Emails are stored lowercase: one account per mailbox (the unique index ignores case, see
// pb_migrations/*_emails_case_insensitive.ts), and what the account shows is what sign-in matches.
// Sign-ups are lowercased with the other record rules (records.pb.ts); this is the email-change path.
onRecordConfirmEmailChangeRequest((e) => {
  e.newEmail = e.newEmail.toLowerCase();
  e.next();
}, "users");

// One-time passwords answer alike for registered and unknown emails: the engine answers an unknown
// email with a random otpId, but once a user has 10 unexpired codes it hands out the last id again, and
// "the same id twice" told anyone that the address is registered. Keeping at most 9 codes per user
// (the oldest go first) means every request gets a fresh id, and the table stays bounded.
onRecordRequestOTPRequest((e) => {
  if (e.record) {
    const otps = e.app.findAllOTPsByRecord(e.record); // newest first
    for (const otp of otps.slice(9)) e.app.delete(otp!);
  }
  e.next();
});

// The engine refuses an unverified user's correct password with "The request doesn't satisfy the
// collection requirements to authenticate." Say what to do instead, only to a correct password (so it
// tells nothing to someone who does not know it). For an unverified account this hook checks the
// password in place of the engine, and answers a wrong one exactly as the engine does: one password
// hash for every sign-in, so timing does not tell unverified accounts apart either.
onRecordAuthWithPasswordRequest((e) => {
  const record = e.record;
  if (record && !record.verified() && (e.collection?.authRule ?? "").includes("verified")) {
    if (!record.validatePassword(e.password)) throw new BadRequestError("Failed to authenticate.");
    const message = "Verify your email address first: follow the link in the verification email (request-verification sends a new one).";
    throw new ForbiddenError(message, { email: new ValidationError("email_not_verified", message) });
  }
  e.next();
}, "users");
