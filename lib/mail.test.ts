import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startSmtpServer } from "@/testing/smtp-server";
import { getEnv } from "./env";
import { closeMail, invitationMail, sendMail, verificationMail } from "./mail";

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  smtp = await startSmtpServer({ refuse: ["nobody@example.com"], user: "relay", pass: "relay secret" });
});
afterEach(() => {
  closeMail();
  vi.unstubAllEnvs();
});
afterAll(() => smtp.close());

function useSmtp(url: string) {
  vi.stubEnv("BETTER_AUTH_URL", "https://leads.example.com");
  vi.stubEnv("SMTP_URL", url);
  vi.stubEnv("SMTP_FROM", "leadhook <no-reply@example.com>");
}

describe("sendMail", () => {
  it("delivers through SMTP_URL, logging in, from SMTP_FROM", async () => {
    useSmtp(smtp.url);
    const link = `https://leadhook.example.com/invite/${"x".repeat(43)}`;
    await sendMail(
      invitationMail({
        to: "dev@example.com",
        workspaceName: "Acme Lending",
        invitedBy: "Asha Rao",
        role: "admin",
        link,
        days: 7,
      }),
    );
    const mail = await smtp.mailTo("dev@example.com");
    expect(mail.from).toBe("no-reply@example.com");
    expect(mail.subject).toBe("Asha Rao invited you to Acme Lending on leadhook");
    // The whole link, unbroken by the transfer encoding, on a line of its own.
    expect(mail.text.split("\n")).toContain(link);
    expect(mail.text).toContain('join the workspace "Acme Lending" on leadhook as admin');
  });

  it("says why a message was refused, without the mail server's reply", async () => {
    useSmtp(smtp.url);
    const refused = sendMail(
      verificationMail({ to: "nobody@example.com", name: "N", link: "http://x/", hours: 24 }),
    );
    await expect(refused).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("could not be sent: the mail server refused the address"),
    });
    await expect(refused).rejects.not.toThrow(/No such user/);
  });

  it("says when leadhook's credentials are refused", async () => {
    useSmtp(smtp.url.replace("relay secret", "wrong"));
    await expect(sendMail({ to: "dev@example.com", subject: "s", text: "t" })).rejects.toThrow(
      "the mail server refused leadhook's credentials",
    );
  });

  it("says when the mail server cannot be reached", async () => {
    // A port that was just free: nothing listens on it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    useSmtp(`smtp://127.0.0.1:${port}`);
    await expect(sendMail({ to: "dev@example.com", subject: "s", text: "t" })).rejects.toThrow(
      "the mail server could not be reached",
    );
  });
});

describe("mail settings", () => {
  const origin = { BETTER_AUTH_URL: "https://leads.example.com" };

  it("refuses SMTP_URL without a sender, and anything but smtp(s)://", () => {
    expect(() => getEnv({ ...origin, SMTP_URL: "smtp://127.0.0.1:2525" })).toThrow(
      /SMTP_FROM: set the sender/,
    );
    expect(() => getEnv({ ...origin, SMTP_URL: "http://127.0.0.1:2525", SMTP_FROM: "a@b.c" })).toThrow(
      "SMTP_URL must be an smtp:// or smtps:// URL",
    );
    const env = getEnv({ ...origin, SMTP_URL: "smtps://u:p@mail.example.com", SMTP_FROM: "a@b.c" });
    expect(env.SMTP_URL).toBe("smtps://u:p@mail.example.com");
  });

  it("refuses SMTP_URL without the public origin: a mailed link never points at a request's Host", () => {
    expect(() => getEnv({ SMTP_URL: "smtp://127.0.0.1:2525", SMTP_FROM: "a@b.c" })).toThrow(
      /BETTER_AUTH_URL: set the public origin/,
    );
  });
});
