import { describe, expect, it, vi } from "vitest";
import {
  type CallbackInput,
  createCallbackSchema,
  emptyCallback,
  leadUpdateUrlProblem,
  RESERVED_HEADERS,
  withStoredHints,
} from "./callback";
import { movedFromOrigin } from "./callback-origin";
import { createProcessSettingsSchema, type ProcessSettingsInput } from "./process";

const strict = createCallbackSchema({ allowPrivateUrls: false });
const relaxed = createCallbackSchema({ allowPrivateUrls: true });

function cb(overrides: Partial<CallbackInput>): CallbackInput {
  return { ...emptyCallback(), url: "https://hooks.example.com/lead", ...overrides };
}

/** The messages per field, or {} when the callback is valid. */
function problems(input: CallbackInput, schema = strict): Record<string, string> {
  const result = schema.safeParse(input);
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
}

describe("Lead Update URL", () => {
  it.each([
    "https://hooks.example.com/lead",
    "http://hooks.example.com/lead",
    "https://8.8.8.8/hook",
    "https://[2606:4700:4700::1111]/hook",
    "https://hooks.example.com:8443/a?b=c#d",
    "  https://hooks.example.com/trimmed  ",
  ])("accepts %s", (url) => {
    expect(problems(cb({ url }))).toEqual({});
  });

  it.each([
    ["", /Enter the Lead Update URL/],
    ["hooks.example.com/lead", /valid URL/],
    ["ftp://hooks.example.com/lead", /https:\/\/ or http:\/\//],
    ["javascript:alert(1)", /https:\/\/ or http:\/\//],
    ["https://user:pass@hooks.example.com/", /user name and password/],
    ["https://user@hooks.example.com/", /user name and password/],
  ])("rejects %j", (url, message) => {
    expect(problems(cb({ url })).url).toMatch(message);
  });

  it.each([
    ["https://exa mple.com/x", /spaces/],
    ["https://hooks.example.com/a b", /spaces/],
    ["https://exa\tmple.com/x", /spaces/],
    ["https://exa*mple.com/x", /host name can only contain/],
    ["https://exa{mple.com/x", /host name can only contain/],
  ])("refuses %j the same way in every runtime", (url, message) => {
    expect(problems(cb({ url })).url).toMatch(message);
  });

  it("judges the host itself, not only whether this runtime's URL parser accepts it", () => {
    // Chrome's parser accepts `https://exa mple.com/x`, with the host `exa%20mple.com`; Node's refuses it.
    class ChromeLikeUrl extends URL {
      readonly #host: string;
      constructor(input: string | URL) {
        const text = String(input);
        const host = /^https?:\/\/([^/?#]*)/.exec(text)?.[1] ?? "";
        super(text.replace(host, "placeholder.example"));
        this.#host = host.replaceAll(" ", "%20");
      }
      override get hostname() {
        return this.#host;
      }
    }
    vi.stubGlobal("URL", ChromeLikeUrl);
    try {
      const rule = { allowPrivateUrls: false };
      expect(leadUpdateUrlProblem("https://exa mple.com/x", rule)).toMatch(/spaces/);
      expect(leadUpdateUrlProblem("https://exa%20mple.com/x", rule)).toMatch(/host name can only contain/);
      expect(leadUpdateUrlProblem("https://hooks.example.com/x", rule)).toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("allows exactly 2048 characters and refuses 2049", () => {
    const base = "https://hooks.example.com/";
    expect(problems(cb({ url: base + "a".repeat(2048 - base.length) }))).toEqual({});
    expect(problems(cb({ url: base + "a".repeat(2049 - base.length) })).url).toMatch(/at most 2048/);
  });

  it.each([
    ["http://localhost/", "loopback"],
    ["http://api.localhost/", "loopback"],
    ["http://127.0.0.1/", "loopback"],
    ["http://127.1.2.3/", "loopback"],
    ["http://2130706433/", "loopback"],
    ["http://0x7f000001/", "loopback"],
    ["http://0177.0.0.1/", "loopback"],
    ["http://[::1]/", "loopback"],
    ["http://[::ffff:127.0.0.1]/", "loopback"],
    ["http://[::ffff:7f00:1]/", "loopback"],
    ["http://10.0.0.1/", "private"],
    ["http://172.16.0.1/", "private"],
    ["http://172.31.255.255/", "private"],
    ["http://192.168.1.1/", "private"],
    ["http://[fd12:3456::1]/", "private"],
    ["http://[::ffff:10.0.0.1]/", "private"],
    ["http://169.254.169.254/latest/meta-data", "link-local"],
    ["http://[fe80::1]/", "link-local"],
    ["http://100.64.0.1/", "carrier-grade NAT"],
    ["http://224.0.0.1/", "multicast"],
    ["http://[ff02::1]/", "multicast"],
    ["http://0.0.0.0/", "unspecified"],
    ["http://[::]/", "unspecified"],
    ["http://255.255.255.255/", "broadcast"],
    ["http://240.0.0.1/", "reserved"],
    // IPv6 outside global unicast (2000::/3), or a special range inside it that carries an IPv4 address.
    ["http://[::127.0.0.1]/", "non-global IPv6"],
    ["http://[::a00:1]/", "non-global IPv6"],
    ["http://[64:ff9b::7f00:1]/", "non-global IPv6"],
    ["http://[2002:7f00:1::1]/", "special-purpose"],
    ["http://[2001:0:4136:e378::1]/", "special-purpose"],
    ["http://[100::1]/", "non-global IPv6"],
  ])("refuses %s (%s) unless private URLs are allowed", (url, kind) => {
    expect(problems(cb({ url })).url).toContain(kind);
    expect(problems(cb({ url }), relaxed)).toEqual({});
  });

  it("accepts the public neighbours of private ranges", () => {
    for (const url of [
      "http://172.15.255.255/",
      "http://172.32.0.1/",
      "http://100.63.255.255/",
      "http://11.0.0.1/",
      "http://[2606:4700:4700::1111]/",
      "http://[2a00:1450:4001::200e]/",
    ]) {
      expect(problems(cb({ url }))).toEqual({});
    }
  });
});

describe("Bearer Token", () => {
  const bearer = (bearerToken: string, storedBearerTokenHint: string | null = null) =>
    problems(cb({ authType: "bearer", bearerToken, storedBearerTokenHint })).bearerToken;

  it("is required unless a stored token is kept", () => {
    expect(bearer("")).toBe("Token is required");
    expect(bearer("", "••••abcd")).toBeUndefined();
  });

  it("allows 4096 characters and refuses 4097", () => {
    expect(bearer("t".repeat(4096))).toBeUndefined();
    expect(bearer("t".repeat(4097))).toMatch(/at most 4096/);
  });

  it.each(["has space", "tab\there", "line\nbreak", "cr\rhere", "nul\u0000x", "del\u007fx"])(
    "refuses whitespace and control characters: %j",
    (token) => {
      expect(bearer(token)).toMatch(/cannot contain/);
    },
  );

  it("is only checked when Bearer Token is chosen", () => {
    expect(problems(cb({ authType: "none", bearerToken: "has space" }))).toEqual({});
  });
});

describe("Custom Auth Header", () => {
  const custom = (
    authHeaderKey: string,
    authHeaderValue = "value",
    storedAuthHeaderValueHint: string | null = null,
  ) => problems(cb({ authType: "custom_header", authHeaderKey, authHeaderValue, storedAuthHeaderValueHint }));

  it("accepts a valid header name and value", () => {
    expect(custom("X-API-Key", "abc 123\twith tab")).toEqual({});
    expect(custom("x_custom.token~1!", "v")).toEqual({});
  });

  it("requires Auth Key and Auth Value", () => {
    expect(custom("", "v").authHeaderKey).toBe("Auth Key is required");
    expect(custom("X-API-Key", "").authHeaderValue).toBe("Auth Value is required");
    expect(custom("X-API-Key", "", "••••1234")).toEqual({});
  });

  it.each(["X API Key", "X-Key:", "Ключ", "X(Key)", "a/b"])("refuses an invalid header name %j", (key) => {
    expect(custom(key).authHeaderKey).toMatch(/valid header name/);
  });

  it.each(RESERVED_HEADERS.filter((h) => h !== "authorization"))("refuses the platform header %s", (key) => {
    expect(custom(key).authHeaderKey).toMatch(/set by leadhook/);
    expect(custom(key.toUpperCase()).authHeaderKey).toMatch(/set by leadhook/);
  });

  it("points Authorization to Bearer Token", () => {
    expect(custom("Authorization").authHeaderKey).toMatch(/Use Bearer Token/);
  });

  it.each(["a\nb", "a\rb", "a\r\nX-Injected: 1", "nul\u0000"])(
    "refuses CR, LF and controls in the value: %j",
    (v) => {
      expect(custom("X-API-Key", v).authHeaderValue).toMatch(/line breaks or control characters/);
    },
  );

  it("allows a 4096-character value and refuses 4097", () => {
    expect(custom("X-API-Key", "v".repeat(4096))).toEqual({});
    expect(custom("X-API-Key", "v".repeat(4097)).authHeaderValue).toMatch(/at most 4096/);
  });
});

describe("Name", () => {
  it("is optional: absent, empty or blank is no name", () => {
    const { name: _, ...withoutName } = cb({});
    expect(problems(withoutName)).toEqual({});
    expect(strict.parse(cb({ name: "" })).name).toBe("");
    expect(strict.parse(cb({ name: "   " })).name).toBe("");
  });

  it("is trimmed", () => {
    expect(strict.parse(cb({ name: "  CRM sync  " })).name).toBe("CRM sync");
  });

  it("allows 60 characters and refuses 61, counted after trimming", () => {
    expect(problems(cb({ name: "n".repeat(60) }))).toEqual({});
    expect(problems(cb({ name: ` ${"n".repeat(60)} ` }))).toEqual({});
    expect(problems(cb({ name: "n".repeat(61) }))).toEqual({ name: "Name must be at most 60 characters" });
  });

  it.each([
    "CRM\nsync",
    "CRM\tsync",
    "CRM\u0000sync",
    "CRM\u2028sync",
    "CRM\u0085sync",
    "CRM\u200bsync",
    "CRM \u202esync",
    "CRM\ufeffsync",
  ])("refuses %j (control, separator or invisible characters)", (name) => {
    expect(problems(cb({ name }))).toEqual({
      name: "Name cannot contain line breaks, tabs, control or invisible characters",
    });
  });

  it.each(["Callback 2", "callback 10", "CALLBACK3"])("refuses the default label %j", (name) => {
    expect(problems(cb({ name }))).toEqual({
      name: 'Choose a name other than "Callback N", which unnamed callbacks are called',
    });
  });

  it("keeps names that merely start like one, and letters of any script", () => {
    for (const name of ["Callback sync", "Callback 2 (EU)", "CRM – Café", "कॉल सिंक"]) {
      expect(problems(cb({ name })), name).toEqual({});
    }
  });
});

describe("process settings", () => {
  const schema = createProcessSettingsSchema({ allowPrivateUrls: false });
  const settings = (callbacks: CallbackInput[]): ProcessSettingsInput => ({
    version: 1,
    name: "OutReach Plan (hinglish)",
    description: "",
    language: "Hinglish",
    status: "active",
    callbacks,
  });
  const paths = (input: ProcessSettingsInput) =>
    (schema.safeParse(input).error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);

  it("allows 10 callbacks and refuses 11", () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => cb({ url: `https://hooks.example.com/${i}` }));
    expect(paths(settings(many(10)))).toEqual([]);
    expect(paths(settings(many(11)))).toEqual(["callbacks: A process can have at most 10 callbacks"]);
  });

  it("refuses two callbacks with the same URL and authentication, naming the first", () => {
    const a = cb({ authType: "bearer", bearerToken: "one" });
    expect(paths(settings([a, { ...a }]))).toEqual([
      "callbacks.1.url: Callback 1 already sends to this URL with the same authentication",
    ]);
    expect(paths(settings([a, { ...a, url: "https://HOOKS.example.com:443/lead" }]))).toHaveLength(1);
  });

  it("names the first callback by its name where it has one", () => {
    const a = cb({ name: "CRM sync" });
    expect(paths(settings([a, { ...a, name: "" }]))).toEqual([
      "callbacks.1.url: CRM sync already sends to this URL with the same authentication",
    ]);
  });

  it("refuses two callbacks of one process with the same name, in any case and spacing", () => {
    const a = cb({ name: "CRM sync", url: "https://hooks.example.com/a" });
    const b = cb({ name: "  crm SYNC ", url: "https://hooks.example.com/b" });
    expect(paths(settings([a, b]))).toEqual([
      "callbacks.1.name: Another callback of this process already has this name",
    ]);
    expect(paths(settings([a, { ...b, name: "CRM sync 2" }]))).toEqual([]);
    // One character written two ways (composed "é", and "e" with a combining accent) is one name.
    const cafe = (name: string, url: string) => cb({ name, url });
    expect(
      paths(
        settings([
          cafe("Caf\u00e9", "https://hooks.example.com/a"),
          cafe("Cafe\u0301", "https://hooks.example.com/b"),
        ]),
      ),
    ).toEqual(["callbacks.1.name: Another callback of this process already has this name"]);
  });

  it("lets any number of callbacks go without a name", () => {
    const unnamed = [1, 2, 3].map((i) =>
      cb({ name: i === 2 ? "   " : "", url: `https://hooks.example.com/${i}` }),
    );
    expect(paths(settings(unnamed))).toEqual([]);
  });

  it("allows one URL with different authentication", () => {
    const a = cb({ authType: "bearer", bearerToken: "one" });
    expect(paths(settings([a, { ...a, bearerToken: "two" }, cb({})]))).toEqual([]);
  });

  it("requires a name of at most 120 characters", () => {
    expect(paths({ ...settings([]), name: "  " })).toEqual(["name: Name is required"]);
    expect(paths({ ...settings([]), name: "n".repeat(120) })).toEqual([]);
    expect(paths({ ...settings([]), name: "n".repeat(121) })).toEqual([
      "name: Name must be at most 120 characters",
    ]);
  });
});

describe("withStoredHints", () => {
  it("takes hints from stored callbacks by id and drops hints the browser invented", () => {
    const id = "0b6c5a2e-8f1e-4b8e-9d61-0d1c2b3a4f50";
    const stored = [{ ...cb({ authType: "bearer", storedBearerTokenHint: "••••abcd" }), id }];
    const input = {
      callbacks: [
        { id, storedBearerTokenHint: null },
        { id: null, storedBearerTokenHint: "••••fake", storedAuthHeaderValueHint: "••••fake" },
      ],
    };
    expect(withStoredHints(input, stored)).toEqual({
      callbacks: [
        { id, storedBearerTokenHint: "••••abcd", storedAuthHeaderValueHint: null },
        { id: null, storedBearerTokenHint: null, storedAuthHeaderValueHint: null },
      ],
    });
  });

  it("passes through input that is not settings-shaped, for the schema to reject", () => {
    for (const input of [null, "x", 1, [], { callbacks: "no" }])
      expect(withStoredHints(input, [])).toBe(input);
  });
});

describe("a stored secret never follows a new host", () => {
  const storedUrl = "https://hooks.example.com/lead";
  const bearer = (url: string, bearerToken = "") =>
    problems(cb({ url, storedUrl, authType: "bearer", bearerToken, storedBearerTokenHint: "••••abcd" }));
  const header = (url: string, authHeaderValue = "") =>
    problems(
      cb({
        url,
        storedUrl,
        authType: "custom_header",
        authHeaderKey: "X-API-Key",
        authHeaderValue,
        storedAuthHeaderValueHint: "••••1234",
      }),
    );

  it("refuses an origin change with the stored Bearer Token left blank, naming the old origin", () => {
    expect(bearer("https://collector.example.net/lead")).toEqual({
      bearerToken:
        "The URL now points to a different host: enter the Bearer Token again (the stored one is only sent to https://hooks.example.com)",
    });
  });

  it("refuses an origin change with the stored Auth Value left blank", () => {
    expect(header("https://collector.example.net/lead")).toEqual({
      authHeaderValue:
        "The URL now points to a different host: enter the Auth Value again (the stored one is only sent to https://hooks.example.com)",
    });
  });

  it("keeps the stored secret when only the path, query or letter case changes", () => {
    for (const url of [
      "https://hooks.example.com/other/path?x=1",
      "https://HOOKS.example.com/lead",
      "https://hooks.example.com:443/lead",
    ]) {
      expect(bearer(url)).toEqual({});
      expect(header(url)).toEqual({});
    }
  });

  it("counts a port change as a new origin", () => {
    expect(bearer("https://hooks.example.com:8443/lead").bearerToken).toMatch(/different host/);
    expect(header("https://hooks.example.com:8443/lead").authHeaderValue).toMatch(/different host/);
  });

  it("counts a scheme change as a new origin", () => {
    expect(bearer("http://hooks.example.com/lead").bearerToken).toMatch(
      /enter the Bearer Token again .*https:\/\/hooks\.example\.com\)$/,
    );
  });

  it("counts a subdomain of the stored host as a new origin", () => {
    expect(bearer("https://evil.hooks.example.com/lead").bearerToken).toMatch(/different host/);
  });

  it("accepts the new origin once a new secret is entered", () => {
    expect(bearer("https://collector.example.net/lead", "tok_new_5678")).toEqual({});
    expect(header("https://collector.example.net/lead", "key-new")).toEqual({});
  });

  it("leaves an empty or unparsable URL to the URL rule", () => {
    expect(bearer("")).toEqual({ url: "Enter the Lead Update URL" });
    expect(Object.keys(bearer("not a url"))).toEqual(["url"]);
  });

  it("does not apply to a new callback, a callback without a stored secret, or no authentication", () => {
    const moved = "https://collector.example.net/lead";
    expect(problems(cb({ url: moved, authType: "bearer", storedBearerTokenHint: "••••abcd" }))).toEqual({});
    expect(problems(cb({ url: moved, storedUrl, authType: "bearer" })).bearerToken).toBe("Token is required");
    expect(problems(cb({ url: moved, storedUrl, storedBearerTokenHint: "••••abcd" }))).toEqual({});
  });

  it("leaves the signing secret alone: a callback without authentication may move freely", () => {
    const moved = cb({ url: "https://collector.example.net/lead", storedUrl, authType: "none" });
    expect(strict.parse(moved)).toMatchObject({ url: moved.url, authType: "none" });
  });

  it("movedFromOrigin names the stored origin only when the origin differs", () => {
    expect(movedFromOrigin(null, "https://a.example.com/")).toBeNull();
    expect(movedFromOrigin(storedUrl, "https://hooks.example.com/x")).toBeNull();
    expect(movedFromOrigin(storedUrl, "")).toBeNull();
    expect(movedFromOrigin(storedUrl, "https://a.example.com/")).toBe("https://hooks.example.com");
    expect(movedFromOrigin("https://[2606:4700::1]:8443/x", "https://[2606:4700::1]/x")).toBe(
      "https://[2606:4700::1]:8443",
    );
  });

  it("takes the stored URL from the stored callbacks, never from the browser", () => {
    const id = "0b6c5a2e-8f1e-4b8e-9d61-0d1c2b3a4f50";
    const stored = [{ ...cb({ authType: "bearer", storedBearerTokenHint: "••••abcd", storedUrl }), id }];
    const moved = "https://collector.example.net/lead";
    const input = {
      callbacks: [
        { id, url: moved, storedUrl: moved },
        { id: null, url: moved, storedUrl: moved },
      ],
    };
    expect(withStoredHints(input, stored)).toEqual({
      callbacks: [
        { id, url: moved, storedUrl, storedBearerTokenHint: "••••abcd", storedAuthHeaderValueHint: null },
        { id: null, url: moved, storedBearerTokenHint: null, storedAuthHeaderValueHint: null },
      ],
    });
  });
});
