// One answer for every email-change request (JSVM only).
//
// The engine refuses `POST /api/collections/{c}/request-email-change` with "Invalid new email address"
// when the address belongs to another account, which tells any signed-in user whether an address is
// registered. Here that case answers 204 like a successful request, and, so that it also takes as long
// as one (the engine sends its mail before answering), the address's owner gets a short notice instead
// of a confirmation link. Nothing changes on any account.

/** The engine's code for "this address is taken by another account" (apis/record_auth_email_change_request.go). */
const TAKEN = "validation_invalid_new_email";

export function requestEmailChangeUniformly(e: core.RequestEvent): void {
  try {
    e.next();
  } catch (error) {
    if (!isTakenAddressError(error)) throw error;
    const body = e.requestInfo().body as { newEmail?: unknown };
    const address = typeof body.newEmail === "string" ? body.newEmail : "";
    try {
      sendNotice(e.app, address);
    } catch (sendError) {
      // Answer exactly like the engine does when its own mail cannot be sent.
      e.app.logger().error("Could not send the email-change notice", "error", String(sendError));
      throw new BadRequestError("Failed to request email change.");
    }
    e.noContent(204);
  }
}

function isTakenAddressError(error: unknown): boolean {
  // A Go error reaches JS wrapped: its ApiError is `.value`; its field errors serialize to {code, message}.
  const apiError = (error as { value?: { data?: unknown } } | null)?.value;
  if (!apiError?.data) return false;
  const data = JSON.parse(JSON.stringify(apiError.data)) as { newEmail?: { code?: string } };
  return data.newEmail?.code === TAKEN;
}

function sendNotice(app: CoreApp, address: string): void {
  const meta = app.settings().meta;
  const appName = meta.appName || "this app";
  app.newMailClient().send(
    new MailerMessage({
      from: { address: meta.senderAddress, name: meta.senderName },
      to: [{ address }],
      subject: `${appName}: a request to use this address`,
      html:
        `<p>Someone signed in to ${escapeHtml(appName)} asked to move their account to this email address.</p>` +
        "<p>This address already belongs to an account, so nothing was changed and no action is needed. " +
        "If it was you, sign in with this address instead.</p>" +
        `<p><a href="${escapeHtml(meta.appURL)}">${escapeHtml(meta.appURL)}</a></p>`,
    }),
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
