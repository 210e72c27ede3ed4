import { describe, expect, it } from "vitest";
import { deliveryEngine, getEnv } from "./env";

describe("getEnv", () => {
  it("applies defaults and treats empty variables as unset", () => {
    const env = getEnv({ DATABASE_URL: "", SECRETS_KEY: "", NODE_ENV: "test" });
    expect(env).toMatchObject({
      DATABASE_URL: undefined,
      SECRETS_KEY: undefined,
      DATA_DIR: ".data",
      CALLBACK_EGRESS_IPS: [],
      ALLOW_PRIVATE_CALLBACK_URLS: false,
      LOG_LEVEL: "info",
    });
  });

  it("parses egress IPs and the private-URL override", () => {
    const env = getEnv({
      CALLBACK_EGRESS_IPS: " 203.0.113.10, 2001:db8::1 ,",
      ALLOW_PRIVATE_CALLBACK_URLS: "true",
    });
    expect(env.CALLBACK_EGRESS_IPS).toEqual(["203.0.113.10", "2001:db8::1"]);
    expect(env.ALLOW_PRIVATE_CALLBACK_URLS).toBe(true);
  });

  it("allows private callback URLs by default only in development, unless told otherwise", () => {
    expect(getEnv({ NODE_ENV: "development" }).ALLOW_PRIVATE_CALLBACK_URLS).toBe(true);
    expect(
      getEnv({ NODE_ENV: "development", ALLOW_PRIVATE_CALLBACK_URLS: "false" }).ALLOW_PRIVATE_CALLBACK_URLS,
    ).toBe(false);
    expect(getEnv({ NODE_ENV: "production" }).ALLOW_PRIVATE_CALLBACK_URLS).toBe(false);
    expect(
      getEnv({ NODE_ENV: "production", ALLOW_PRIVATE_CALLBACK_URLS: "1" }).ALLOW_PRIVATE_CALLBACK_URLS,
    ).toBe(true);
  });

  it("chooses the embedded engine unless Inngest is configured or named", () => {
    expect(deliveryEngine(getEnv({}))).toBe("embedded");
    expect(deliveryEngine(getEnv({ INNGEST_BASE_URL: "http://127.0.0.1:8288" }))).toBe("inngest");
    expect(deliveryEngine(getEnv({ INNGEST_EVENT_KEY: "key" }))).toBe("inngest");
    expect(deliveryEngine(getEnv({ INNGEST_EVENT_KEY: "key", LEADHOOK_ENGINE: "embedded" }))).toBe(
      "embedded",
    );
    expect(deliveryEngine(getEnv({ LEADHOOK_ENGINE: "inngest" }))).toBe("inngest");
    expect(() => getEnv({ LEADHOOK_ENGINE: "redis" })).toThrow(/LEADHOOK_ENGINE must be embedded or inngest/);
  });

  it("parses DNS servers with optional ports and refuses names", () => {
    expect(
      getEnv({ CALLBACK_DNS_SERVERS: "127.0.0.1:5353, [::1]:53, 8.8.8.8" }).CALLBACK_DNS_SERVERS,
    ).toEqual(["127.0.0.1:5353", "[::1]:53", "8.8.8.8"]);
    expect(() => getEnv({ CALLBACK_DNS_SERVERS: "dns.google" })).toThrow(
      /CALLBACK_DNS_SERVERS: "dns.google" is not/,
    );
  });

  it("parses trusted proxies as addresses or CIDR ranges", () => {
    expect(getEnv({ TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1, ::1/128" }).TRUSTED_PROXIES).toEqual([
      "10.0.0.0/8",
      "127.0.0.1",
      "::1/128",
    ]);
    expect(() => getEnv({ TRUSTED_PROXIES: "10.0.0.0/99" })).toThrow(
      /TRUSTED_PROXIES: "10.0.0.0\/99" is not/,
    );
    expect(() => getEnv({ TRUSTED_PROXIES: "proxy.internal" })).toThrow(/TRUSTED_PROXIES: "proxy.internal"/);
  });

  it("refuses a BETTER_AUTH_SECRET too short to sign sessions with", () => {
    expect(() => getEnv({ BETTER_AUTH_SECRET: "short" })).toThrow(/at least 32 characters/);
  });

  it("names every invalid variable in one error", () => {
    expect(() =>
      getEnv({
        DATABASE_URL: "mysql://x",
        CALLBACK_EGRESS_IPS: "not-an-ip",
        ALLOW_PRIVATE_CALLBACK_URLS: "yes",
      }),
    ).toThrow(/DATABASE_URL[\s\S]*CALLBACK_EGRESS_IPS: "not-an-ip"[\s\S]*ALLOW_PRIVATE_CALLBACK_URLS/);
  });
});

describe("CALLBACK_DISABLE_AFTER", () => {
  it("defaults to 3 days and reads a whole number with one unit", () => {
    expect(getEnv({}).CALLBACK_DISABLE_AFTER).toEqual({ ms: 3 * 86_400_000, label: "3 days" });
    expect(getEnv({ CALLBACK_DISABLE_AFTER: "" }).CALLBACK_DISABLE_AFTER.label).toBe("3 days");
    expect(getEnv({ CALLBACK_DISABLE_AFTER: "12h" }).CALLBACK_DISABLE_AFTER).toEqual({
      ms: 12 * 3_600_000,
      label: "12 hours",
    });
    expect(getEnv({ CALLBACK_DISABLE_AFTER: " 90m " }).CALLBACK_DISABLE_AFTER).toEqual({
      ms: 90 * 60_000,
      label: "90 minutes",
    });
    expect(getEnv({ CALLBACK_DISABLE_AFTER: "1d" }).CALLBACK_DISABLE_AFTER.label).toBe("1 day");
    expect(getEnv({ CALLBACK_DISABLE_AFTER: "30s" }).CALLBACK_DISABLE_AFTER.ms).toBe(30_000);
  });

  it.each(["0d", "3", "P3D", "1.5d", "1d12h", "3 days", "-1h", "3w"])("refuses %j", (value) => {
    expect(() => getEnv({ CALLBACK_DISABLE_AFTER: value })).toThrow(
      `CALLBACK_DISABLE_AFTER: "${value}" is not a duration like 3d, 12h or 90m`,
    );
  });
});

describe("DELIVERY_RETRY_SCHEDULE", () => {
  it("defaults to nine retries over about three days", () => {
    expect(getEnv({}).DELIVERY_RETRY_SCHEDULE).toEqual([
      5000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
    ]);
  });

  it("reads a list of waits, or none", () => {
    expect(getEnv({ DELIVERY_RETRY_SCHEDULE: "300ms, 1s,2m" }).DELIVERY_RETRY_SCHEDULE).toEqual([
      300, 1000, 120_000,
    ]);
    expect(getEnv({ DELIVERY_RETRY_SCHEDULE: "none" }).DELIVERY_RETRY_SCHEDULE).toEqual([]);
  });

  it("refuses a wait it cannot read, naming it", () => {
    expect(() => getEnv({ DELIVERY_RETRY_SCHEDULE: "5s,five minutes" })).toThrow(
      'DELIVERY_RETRY_SCHEDULE: "five minutes" is not a wait like 300ms, 5s, 5m, 2h or 1d',
    );
    expect(() => getEnv({ DELIVERY_RETRY_SCHEDULE: "2d" })).toThrow('"2d" is outside 100ms to 24h');
  });

  it("still honours the older pair when the schedule is unset, and refuses both at once", () => {
    expect(
      getEnv({ DELIVERY_MAX_RETRIES: "3", DELIVERY_BACKOFF_BASE_MS: "300" }).DELIVERY_RETRY_SCHEDULE,
    ).toEqual([300, 600, 1200]);
    expect(getEnv({ DELIVERY_MAX_RETRIES: "0" }).DELIVERY_RETRY_SCHEDULE).toEqual([]);
    expect(() => getEnv({ DELIVERY_RETRY_SCHEDULE: "1s", DELIVERY_MAX_RETRIES: "3" })).toThrow(
      "DELIVERY_MAX_RETRIES and DELIVERY_BACKOFF_BASE_MS are the older way",
    );
  });
});

describe("RETENTION_DAYS and AUDIT_RETENTION_DAYS", () => {
  it("keep data 30 days and the audit log a year unless told otherwise", () => {
    expect(getEnv({})).toMatchObject({ RETENTION_DAYS: 30, AUDIT_RETENTION_DAYS: 365 });
    expect(getEnv({ RETENTION_DAYS: "7", AUDIT_RETENTION_DAYS: "730" })).toMatchObject({
      RETENTION_DAYS: 7,
      AUDIT_RETENTION_DAYS: 730,
    });
  });

  it("keep for ever with 0", () => {
    expect(getEnv({ RETENTION_DAYS: "0", AUDIT_RETENTION_DAYS: "0" })).toMatchObject({
      RETENTION_DAYS: 0,
      AUDIT_RETENTION_DAYS: 0,
    });
  });

  it.each(["-1", "1.5", "ten", "3651"])("refuses RETENTION_DAYS=%j", (value) => {
    expect(() => getEnv({ RETENTION_DAYS: value })).toThrow("RETENTION_DAYS");
  });
});
