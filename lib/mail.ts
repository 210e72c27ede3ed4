import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "./env";
import { AppError } from "./errors";
import { logger } from "./logger";

/** A plain-text message: leadhook's mail carries a link and says what it does, nothing to render. */
export type Mail = { to: string; subject: string; text: string };

/** How long one step of talking to the mail server may take (connecting, its greeting, each reply). */
export const MAIL_TIMEOUT_MS = 10_000;

const globalForMail = globalThis as unknown as { leadhookMail?: { url: string; transporter: Transporter } };

/** One pooled connection per SMTP_URL, reused across messages. */
function transporter(url: string): Transporter {
  const cached = globalForMail.leadhookMail;
  if (cached?.url === url) return cached.transporter;
  cached?.transporter.close();
  const created = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: MAIL_TIMEOUT_MS,
    greetingTimeout: MAIL_TIMEOUT_MS,
    socketTimeout: MAIL_TIMEOUT_MS,
  });
  globalForMail.leadhookMail = { url, transporter: created };
  return created;
}

/** What went wrong, in words an admin can pass on; the mail server's own reply goes to the log only. */
function reason(error: unknown): string {
  switch ((error as { code?: unknown }).code) {
    case "EAUTH":
      return "the mail server refused leadhook's credentials";
    case "EENVELOPE":
      return "the mail server refused the address";
    case "ETIMEDOUT":
      return "the mail server did not answer in time";
    case "ECONNECTION":
    case "ESOCKET":
    case "EDNS":
      return "the mail server could not be reached";
    default:
      return "the mail server refused the message";
  }
}

/**
 * Sends `mail` through SMTP_URL from SMTP_FROM, resolving once the server accepted it; a failure is an
 * AppError ("unavailable") that says why without the server's reply, which is logged.
 */
export async function sendMail(mail: Mail): Promise<void> {
  const env = getEnv();
  if (!env.SMTP_URL || !env.SMTP_FROM) throw new Error("sendMail needs SMTP_URL and SMTP_FROM");
  try {
    await transporter(env.SMTP_URL).sendMail({ from: env.SMTP_FROM, ...mail });
  } catch (error) {
    logger.error({ err: error, subject: mail.subject }, "mail could not be sent");
    throw new AppError(
      "unavailable",
      `The email to ${mail.to} could not be sent: ${reason(error)}. Try again, or ask the operator to check the mail settings (SMTP_URL).`,
    );
  }
}

/** Closes the pooled connections (tests, shutdown). */
export function closeMail(): void {
  globalForMail.leadhookMail?.transporter.close();
  globalForMail.leadhookMail = undefined;
}

export function invitationMail(invitation: {
  to: string;
  workspaceName: string;
  invitedBy: string;
  role: string;
  link: string;
  days: number;
}): Mail {
  const { to, workspaceName, invitedBy, role, link, days } = invitation;
  return {
    to,
    subject: `${invitedBy} invited you to ${workspaceName} on leadhook`,
    text: [
      `${invitedBy} invited ${to} to join the workspace "${workspaceName}" on leadhook as ${role}.`,
      "",
      "Open this link to accept:",
      link,
      "",
      `The link works once and expires in ${days} days. It was sent only to you: do not forward it, since whoever opens it first joins as ${to}.`,
      "If you did not expect this invitation, ignore this email.",
    ].join("\n"),
  };
}

export function verificationMail(verification: {
  to: string;
  name: string;
  link: string;
  hours: number;
}): Mail {
  const { to, name, link, hours } = verification;
  return {
    to,
    subject: "Verify your email address for leadhook",
    text: [
      `Hello ${name},`,
      "",
      `Open this link to confirm that ${to} is yours:`,
      link,
      "",
      `The link works for ${hours} hours. If you did not ask for it, ignore this email: nothing changes.`,
    ].join("\n"),
  };
}
