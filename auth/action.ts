import "server-only";
import { z } from "zod";
import { AppError, messages, toFieldErrors } from "@/lib/errors";
import type { Permission } from "@/lib/roles";
import { runAction } from "@/lib/run-action";
import { getSignedInUser, type Member, requireMember, type SignedInUser } from "./member";

/** Who may call an action: members with a permission, anyone signed in, or anyone (it has its own proof). */
export type Access = Permission | "signed-in" | "public";

type Schema = z.core.$ZodType;
type Parsed<S extends readonly Schema[]> = { -readonly [K in keyof S]: z.output<S[K]> };
type Raw<S extends readonly Schema[]> = { -readonly [K in keyof S]: z.input<S[K]> };

/** How a refused argument answers: an id that does not exist, or a form field to fix. */
const argumentRefusals = z.registry<{ notFound?: string; field?: string }>();

/**
 * An id bound into an action with `.bind`: a UUID (any version, as PostgreSQL reads one), or the action
 * answers not_found with `message`, as it does for an id that names nothing of this workspace.
 */
export function idArg(message: string) {
  return z.guid().register(argumentRefusals, { notFound: message });
}

/** A token bound into an action (an invitation link's): a string, or not_found with `message`. */
export function tokenArg(message: string) {
  return z.string().register(argumentRefusals, { notFound: message });
}

/** A scalar argument a form sends on its own: its problem is shown as the field error of `field`. */
export function fieldArg<S extends Schema>(field: string, schema: S): S {
  // A schema may be shared (a form's field): register a wrapper, never the shared one.
  const own = z.pipe(z.unknown(), schema);
  argumentRefusals.add(own, { field });
  return own as unknown as S;
}

/** Every argument checked against its schema, in order; the first refused one ends the action. */
function parseArgs<S extends readonly Schema[]>(schemas: S, args: unknown[]): Parsed<S> {
  return schemas.map((schema, i) => {
    const parsed = z.safeParse(schema, args[i]);
    if (parsed.success) return parsed.data;
    const refusal = argumentRefusals.get(schema);
    if (refusal?.notFound) throw new AppError("not_found", refusal.notFound);
    const field = refusal?.field;
    const issues = parsed.error.issues.map((issue) => ({
      message: issue.message,
      path: [...(field ? [field] : []), ...issue.path.filter((key) => key !== undefined)],
    }));
    throw new AppError("invalid_request", messages.fixErrors, { fieldErrors: toFieldErrors(issues) });
  }) as Parsed<S>;
}

type Result = object;

/** What the authorization matrix (app/authorization.db.test.ts) reads of every action. */
export type ActionDeclaration = { permission: Access; args: readonly Schema[] };

type Declared<F> = F & { declaration: ActionDeclaration };

type MemberAction<S extends readonly Schema[], T extends Result> = {
  permission: Permission;
  /** Every argument after the workspace id. */
  args: S;
  work: (member: Member, ...args: Parsed<S>) => Promise<T>;
};

type SignedInAction<S extends readonly Schema[], T extends Result> = {
  permission: "signed-in";
  /** What a caller without a session is told (the usual "session has ended" otherwise). */
  signedOut?: string;
  /** A refusal that comes before the arguments are read, as the session check does. */
  guard?: (user: SignedInUser) => void;
  args: S;
  work: (user: SignedInUser, ...args: Parsed<S>) => Promise<T>;
};

type PublicAction<S extends readonly Schema[], T extends Result> = {
  permission: "public";
  args: S;
  work: (...args: Parsed<S>) => Promise<T>;
};

/**
 * A server action declared as (permission, a schema for every argument, work). A member action's first
 * argument is the workspace its page showed: the session and the role there are checked before any other
 * argument is looked at, so an anonymous caller is told "unauthorized" whatever it sends. Then every
 * argument is parsed (an id that is not one answers not_found; a form's input invalid_request with its
 * field errors), then the work runs. Errors reach the caller as runAction words them: an AppError's code
 * and message, anything else a generic message with no internals.
 */
export function defineAction<const S extends readonly Schema[], T extends Result>(
  declaration: MemberAction<S, T>,
): Declared<(workspaceId: string, ...args: Raw<S>) => ReturnType<typeof runAction<T>>>;
export function defineAction<const S extends readonly Schema[], T extends Result>(
  declaration: SignedInAction<S, T>,
): Declared<(...args: Raw<S>) => ReturnType<typeof runAction<T>>>;
export function defineAction<const S extends readonly Schema[], T extends Result>(
  declaration: PublicAction<S, T>,
): Declared<(...args: Raw<S>) => ReturnType<typeof runAction<T>>>;
export function defineAction(
  declaration:
    | MemberAction<Schema[], Result>
    | SignedInAction<Schema[], Result>
    | PublicAction<Schema[], Result>,
) {
  const action = (...raw: unknown[]) =>
    runAction(async () => {
      const d = declaration;
      if (d.permission === "public") return d.work(...parseArgs(d.args, raw));
      if (d.permission === "signed-in") {
        const user = await getSignedInUser();
        if (!user) throw new AppError("unauthorized", d.signedOut ?? messages.sessionEnded);
        d.guard?.(user);
        return d.work(user, ...parseArgs(d.args, raw));
      }
      const [workspaceId, ...rest] = raw;
      // Only compared with the member's own workspaces, never sent to a query.
      const member = await requireMember(typeof workspaceId === "string" ? workspaceId : "", d.permission);
      return d.work(member, ...parseArgs(d.args, rest));
    });
  return Object.assign(action, {
    declaration: { permission: declaration.permission, args: declaration.args },
  });
}
