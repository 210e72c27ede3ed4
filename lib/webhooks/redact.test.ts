import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets, secretForms } from "./redact";

const token = "tok_live_3f9a/8c+Q1";
const signing = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const forms = secretForms([token, signing, undefined]);

describe("redactSecrets", () => {
  it("removes a stored secret echoed as it is, base64-encoded, or with JSON-escaped slashes", () => {
    const echoed = [
      `authorization: Bearer ${token}`,
      `{"auth":"${token.replace("/", "\\/")}"}`,
      `basic ${Buffer.from(token).toString("base64")}`,
      `secret=${signing}`,
      `key=${signing.slice("whsec_".length)}`,
    ].join("\n");
    const out = redactSecrets(echoed, forms);
    expect(out).not.toContain("tok_live");
    expect(out).not.toContain(signing.slice(6, 20));
    expect(out).not.toContain(Buffer.from(token).toString("base64").slice(0, 12));
    expect(out).toBe(
      [
        `authorization: Bearer ${REDACTED}`,
        `{"auth":"${REDACTED}"}`,
        `basic ${REDACTED}`,
        `secret=${REDACTED}`,
        `key=${REDACTED}`,
      ].join("\n"),
    );
  });

  it("removes a secret's beginning where the excerpt was cut off", () => {
    expect(redactSecrets(`{"echo":"Bearer ${token.slice(0, 9)}`, forms)).toBe(`{"echo":"Bearer ${REDACTED}`);
    // Three characters are too few to tell from ordinary text.
    expect(redactSecrets("ends with tok", forms)).toBe("ends with tok");
  });

  it("leaves text without secrets alone", () => {
    const text = '{"ok":true,"received":"lead.status_changed"}';
    expect(redactSecrets(text, forms)).toBe(text);
    expect(redactSecrets(text, secretForms([]))).toBe(text);
  });
});
