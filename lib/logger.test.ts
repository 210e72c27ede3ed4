import { describe, expect, it } from "vitest";
import { getEnv } from "./env";
import { loggerOptions } from "./logger";

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
});
