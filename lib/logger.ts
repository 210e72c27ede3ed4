import pino from "pino";
import { getEnv } from "./env";

/** Structured logs; secrets and Authorization headers are redacted wherever they appear. */
export const logger = pino({
  name: "leadhook",
  level: getEnv().LOG_LEVEL,
  redact: {
    paths: [
      "*.authorization",
      "*.Authorization",
      "*.headers.authorization",
      "*.bearerToken",
      "*.authHeaderValue",
      "*.signingSecret",
      "*.secret",
    ],
    censor: "[redacted]",
  },
});
