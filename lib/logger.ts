import pino, { type LoggerOptions } from "pino";
import { type Env, getEnv } from "./env";

/**
 * The logger's settings: structured JSON, with secrets and Authorization headers redacted wherever they
 * appear; in development (`npm run dev`) printed readably by pino-pretty instead.
 */
export function loggerOptions(env: Env): LoggerOptions {
  return {
    name: "leadhook",
    level: env.LOG_LEVEL,
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
    ...(env.NODE_ENV === "development"
      ? {
          transport: {
            target: "pino-pretty",
            options: { colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" },
          },
        }
      : {}),
  };
}

export const logger = pino(loggerOptions(getEnv()));
