import { parseArgs } from "node:util";
import { startReceiver } from "./receiver";

const usage = `Usage: npm run receiver -- [--port 4000] [--secret whsec_...] [--token T | --header Key=Value]

Starts a webhook receiver on 127.0.0.1 that prints every request it gets and whether its
Standard Webhooks signature (--secret) and authentication (--token or --header) verify.`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

let values: { port?: string; secret?: string; token?: string; header?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string", default: "4000" },
      secret: { type: "string" },
      token: { type: "string" },
      header: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be a port number, not "${values.port}"`);
if (values.secret && !values.secret.startsWith("whsec_"))
  fail("--secret must be a signing secret starting with whsec_");
if (values.token && values.header) fail("Use either --token or --header, not both");
let authHeader: { key: string; value: string } | undefined;
if (values.header) {
  const at = values.header.indexOf("=");
  if (at < 1) fail("--header must look like X-API-Key=value");
  authHeader = { key: values.header.slice(0, at), value: values.header.slice(at + 1) };
}

const verdict = (valid: boolean | null, detail?: string) =>
  valid === null ? "not checked" : valid ? "valid" : `INVALID${detail ? ` (${detail})` : ""}`;

const receiver = await startReceiver({
  port,
  secret: values.secret,
  bearerToken: values.token,
  authHeader,
  respond: (w) => {
    const type = (w.json as { type?: string } | null)?.type ?? "(no type)";
    console.log(
      `${w.receivedAt.toISOString()} ${w.method} ${w.path} ${type} webhook-id=${w.headers["webhook-id"] ?? "-"}` +
        ` signature: ${verdict(w.signatureValid, w.signatureError)} auth: ${verdict(w.authValid)}`,
    );
    console.log(w.json ? JSON.stringify(w.json, null, 2) : w.rawBody);
    return { status: 200, body: '{"ok":true}' };
  },
});
console.log(`Receiving webhooks at ${receiver.url} (Ctrl+C to stop)`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void receiver.close().then(() => process.exit(0)));
}
