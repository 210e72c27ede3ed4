import { describe, expect, it } from "vitest";
import { type CallbackInput, emptyCallback } from "./callback";
import {
  callbackProblems,
  countCallbackErrors,
  createProcessSettingsSchema,
  type ProblemVisibility,
  type ProcessSettingsInput,
} from "./process";

const schema = createProcessSettingsSchema({ allowPrivateUrls: false });
const STORED_ID = "7d9c3a52-5f0e-4d7b-9a51-1f2d3c4b5a69";

const settings = (callbacks: CallbackInput[]): ProcessSettingsInput => ({
  version: 1,
  name: "OutReach Plan (hinglish)",
  description: "",
  language: "Hinglish",
  status: "active",
  callbacks,
});

/** The problems the form shows for these callbacks, as "path: message". */
function shown(callbacks: CallbackInput[], seen: Omit<ProblemVisibility, "callbacks"> | null) {
  const parsed = schema.safeParse(settings(callbacks));
  const visibility = seen ? { callbacks, ...seen } : undefined;
  return [...callbackProblems(parsed, undefined, visibility)].map(([path, message]) => `${path}: ${message}`);
}

const fresh = (overrides: Partial<CallbackInput> = {}): CallbackInput => ({
  ...emptyCallback(),
  ...overrides,
});
const editing = { submitted: false };

describe("the callback problems the form shows and the badge counts", () => {
  it("shows nothing for a brand-new empty callback until Save is tried", () => {
    expect(shown([fresh()], editing)).toEqual([]);
    expect(shown([fresh()], { submitted: true })).toEqual(["callbacks.0.url: Enter the Lead Update URL"]);
  });

  it("shows a new callback's URL problem once the URL was typed in, not when the focus passes through", () => {
    expect(shown([fresh({ url: "crm.example.com/x" })], editing)).toEqual([
      expect.stringMatching(/^callbacks\.0\.url: Enter a valid URL/),
    ]);
    expect(shown([fresh()], editing)).toEqual([]);
  });

  it("does not mark the empty Token as soon as Bearer Token is chosen: it shows once Save is tried", () => {
    const cb = fresh({ url: "https://hooks.example.com/x", authType: "bearer" });
    expect(shown([cb], editing)).toEqual([]);
    expect(shown([cb], { submitted: true })).toEqual(["callbacks.0.bearerToken: Token is required"]);
  });

  it("keeps untouched fields quiet while the authentication of a new callback is chosen", () => {
    const cb = fresh({ authType: "custom_header", authHeaderKey: "Content-Type" });
    expect(shown([cb], editing)).toEqual([
      "callbacks.0.authHeaderKey: Content-Type is set by leadhook and cannot be used",
    ]);
    expect(shown([cb], { submitted: true })).toContain("callbacks.0.authHeaderValue: Auth Value is required");
  });

  it("shows a stored callback's problems at once, as the page counts them on the server", () => {
    const stored = fresh({ id: STORED_ID, url: "http://10.0.0.5/hook" });
    expect(shown([stored], editing)).toEqual([expect.stringMatching(/^callbacks\.0\.url: This URL points/)]);
    expect(shown([stored], null)).toHaveLength(1);
  });

  it("counts exactly what it shows", () => {
    const callbacks = [
      fresh(),
      fresh({ url: "https://hooks.example.com/x", authType: "bearer", bearerToken: "tok with space" }),
      fresh({ url: "https://hooks.example.com/y", authType: "bearer" }),
    ];
    const parsed = schema.safeParse(settings(callbacks));
    const visibility = { callbacks, submitted: false };
    expect(countCallbackErrors(parsed, undefined, visibility)).toBe(
      callbackProblems(parsed, undefined, visibility).size,
    );
    expect(countCallbackErrors(parsed, undefined, visibility)).toBe(1);
    expect(countCallbackErrors(parsed)).toBe(3);
  });

  it("shows a server's error in place of the schema's until an edit clears it", () => {
    const callbacks = [fresh({ url: "https://internal.example.com/x" })];
    const parsed = schema.safeParse(settings(callbacks));
    const formErrors = {
      callbacks: [{ url: { type: "server", message: "The host resolves to a private address" } }],
    };
    const problems = callbackProblems(parsed, formErrors, { callbacks, submitted: false });
    expect([...problems]).toEqual([["callbacks.0.url", "The host resolves to a private address"]]);
  });

  it("ignores react-hook-form's own errors, which may hold fields the form does not show yet", () => {
    const callbacks = [fresh()];
    const parsed = schema.safeParse(settings(callbacks));
    const formErrors = { callbacks: [{ url: { type: "custom", message: "Enter the Lead Update URL" } }] };
    expect(countCallbackErrors(parsed, formErrors, { callbacks, submitted: false })).toBe(0);
  });
});
