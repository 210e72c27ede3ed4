import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/index";
import { AppError } from "@/lib/errors";
import { json } from "@/lib/http/respond";

const handlers = serve({ client: inngest, functions });

export const { GET, PUT } = handlers;

/**
 * Inngest's calls into the functions. Outside dev mode each must carry Inngest's request signature: one
 * without any is answered 401 here, before the SDK, which would also log an error (with its stack) for each,
 * so anyone could fill the log by posting to this URL. A signature that fails to verify is the SDK's to judge.
 */
export const POST: typeof handlers.POST = async (request, context) => {
  if (!inngestDevMode() && !request.headers.get("x-inngest-signature")) {
    const error = new AppError(
      "unauthorized",
      "Calls to /api/inngest must carry Inngest's request signature.",
    );
    return json(error.toJSON(), error.status);
  }
  return handlers.POST(request, context);
};

/** The SDK's dev mode (INNGEST_DEV set to 1, true or the dev server's URL): no signatures then. */
function inngestDevMode(): boolean {
  const dev = process.env.INNGEST_DEV?.trim().toLowerCase();
  return Boolean(dev) && dev !== "0" && dev !== "false";
}
