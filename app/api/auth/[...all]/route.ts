import { getAuth } from "@/auth/server";

// Better Auth's endpoints (sign-in, sign-out, session); its limiter and origin check run here.
async function handle(request: Request): Promise<Response> {
  return (await getAuth()).handler(request);
}

export { handle as GET, handle as POST };
