import { describe, expect, it } from "vitest";
import { getEnv } from "./env";
import { loggerOptions, logSafeError } from "./logger";

describe("loggerOptions", () => {
  it("prints readable lines under npm run dev and JSON everywhere else", () => {
    expect(loggerOptions(getEnv({ NODE_ENV: "development" })).transport).toMatchObject({
      target: "pino-pretty",
    });
    expect(loggerOptions(getEnv({ NODE_ENV: "production" })).transport).toBeUndefined();
    expect(loggerOptions(getEnv({ NODE_ENV: "test" })).transport).toBeUndefined();
  });

  it("redacts secrets and Authorization headers", () => {
    const { redact } = loggerOptions(getEnv({ NODE_ENV: "production" }));
    expect(redact).toMatchObject({
      paths: expect.arrayContaining(["*.authorization", "*.bearerToken", "*.secret"]),
    });
  });

  it("logs a failed query as the driver's error, without the SQL or its parameters", () => {
    const driverError = Object.assign(new Error('relation "deliveries" does not exist'), {
      code: "42P01",
      query: "update deliveries set response_excerpt = $1",
      params: ["Bearer tok_secret_in_a_response"],
    });
    const wrapped = new Error(
      "Failed query: update deliveries set response_excerpt = $1\nparams: Bearer tok_secret_in_a_response",
      { cause: driverError },
    );
    const logged = JSON.stringify(logSafeError(wrapped));
    expect(logged).toContain('relation \\"deliveries\\" does not exist');
    expect(logged).toContain("42P01");
    expect(logged).not.toContain("tok_secret");
    expect(logged).not.toContain("Failed query");
    expect(logged).not.toContain("update deliveries");
    expect(loggerOptions(getEnv({ NODE_ENV: "production" })).serializers?.err).toBe(logSafeError);
  });
});
