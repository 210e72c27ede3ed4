import pino, { type LoggerOptions } from "pino";
import { type Env, getEnv } from "./env";

/**
 * An error as a log line shows it: a query builder's wrapper ("Failed query: <SQL> params: <values>") gives
 * way to the driver's error it wraps, and no error keeps the SQL or the parameters (event bodies, response
 * excerpts, key hashes) that drivers attach as `query` and `params`.
 */
export function logSafeError(error: unknown): Record<string, unknown> {
  let e = error;
  if (e instanceof Error && e.message.startsWith("Failed query:") && e.cause) e = e.cause;
  if (!(e instanceof Error)) return { message: String(e) };
  const { query: _query, params: _params, ...rest } = pino.stdSerializers.err(e) as Record<string, unknown>;
  return rest;
}

/**
 * The logger's settings: structured JSON, with secrets and Authorization headers redacted wherever they
 * appear, and errors without SQL or its parameters (logSafeError); in development (`npm run dev`) printed
 * readably by pino-pretty instead.
 */
export function loggerOptions(env: Env): LoggerOptions {
  return {
    name: "leadhook",
    level: env.LOG_LEVEL,
    serializers: { err: logSafeError },
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
