import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { type AuditContext, actorLabel } from "@/db/queries/audit-log";
import { listWorkspacesOf, type WorkspaceOfUser } from "@/db/queries/members";
import { hasAnyUser } from "@/db/queries/users";
import { AppError, messages, roleForbids } from "@/lib/errors";
import { can, type Permission, type Role } from "@/lib/roles";
import { type RequestInfo, requestOrigin } from "./request-info";
import { getAuth } from "./server";

/** The cookie naming the workspace a member is looking at; checked against their memberships each time. */
export const WORKSPACE_COOKIE = "leadhook_workspace";

export type SignedInUser = {
  id: string;
  name: string;
  email: string;
  /** Whether they opened a link leadhook mailed to that email (a mailed invitation or verification). */
  emailVerified: boolean;
};

/** A signed-in person acting in one workspace with one role. */
export type Member = {
  user: SignedInUser;
  workspace: { id: string; name: string };
  role: Role;
  /** What requireMember checked the role for: the change's transaction checks it again (recordAudit). */
  permission?: Permission;
  workspaces: WorkspaceOfUser[];
  request: RequestInfo;
};

/** The signed-in person of this request, or null; the session is checked in the database. */
export const getSignedInUser = cache(async (): Promise<SignedInUser | null> => {
  // Reading the request first marks the page dynamic before anything opens the database.
  const requestHeaders = await headers();
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers: requestHeaders });
  if (!session) return null;
  const { id, name, email, emailVerified } = session.user;
  return { id, name, email, emailVerified };
});

/** The signed-in person in the workspace they chose (or their first), or null if either is missing. */
export const getMember = cache(async (): Promise<Member | null> => {
  const user = await getSignedInUser();
  if (!user) return null;
  const workspaces = await listWorkspacesOf(user.id);
  const chosen = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const current = workspaces.find((w) => w.id === chosen) ?? workspaces[0];
  return current ? memberIn(user, current, workspaces) : null;
});

async function memberIn(
  user: SignedInUser,
  current: WorkspaceOfUser,
  workspaces: WorkspaceOfUser[],
  permission?: Permission,
): Promise<Member> {
  return {
    user,
    workspace: { id: current.id, name: current.name },
    role: current.role,
    permission,
    workspaces,
    request: requestOrigin(await headers()),
  };
}

/**
 * The check at the top of every server action: a session, membership of `workspaceId` (the workspace
 * the page showed, bound into the action when it rendered, so a tab left open on one workspace never
 * acts on another chosen since), and a role allowed to do `permission`; otherwise an AppError the form
 * shows. Hiding a button is a courtesy; this is the rule. The change itself checks again inside its own
 * transaction (auditContext carries `permission` to recordAudit), so a demotion or removal that commits
 * first wins over an action that passed this check a moment before.
 */
export async function requireMember(workspaceId: string, permission: Permission): Promise<Member> {
  const user = await getSignedInUser();
  if (!user) throw new AppError("unauthorized", messages.sessionEnded);
  const workspaces = await listWorkspacesOf(user.id);
  const current = workspaces.find((w) => w.id === workspaceId);
  if (!current) throw new AppError("not_found", messages.noLongerMember);
  if (!can(current.role, permission)) throw roleForbids(current.role);
  return memberIn(user, current, workspaces, permission);
}

/**
 * The check at the top of every admin page: the first-run page while nobody has an account, the sign-in
 * page without a session (coming back to `path` afterwards).
 */
export async function requirePageMember(path: string): Promise<Member> {
  const member = await getMember();
  if (member) return member;
  if (!(await hasAnyUser())) redirect("/setup");
  const user = await getSignedInUser();
  if (user) redirect("/no-workspace");
  redirect(`/sign-in?next=${encodeURIComponent(path)}`);
}

/** Remembers the workspace a member chose, for this browser. */
export async function chooseWorkspace(workspaceId: string): Promise<void> {
  (await cookies()).set(WORKSPACE_COOKIE, workspaceId, {
    httpOnly: true,
    sameSite: "lax",
    secure: process.env.NODE_ENV === "production",
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
}

/**
 * Starts a session for someone who just proved who they are (the first-run page, an accepted
 * invitation): Better Auth's own sign-in, whose cookie the nextCookies plugin sets on this response.
 */
export async function signInAfterSignUp(email: string, password: string): Promise<void> {
  const auth = await getAuth();
  await auth.api.signInEmail({ body: { email, password }, headers: await headers() });
}

/** What the audit log records about who is acting. */
export function auditContext(member: Member): AuditContext {
  return {
    workspaceId: member.workspace.id,
    actorId: member.user.id,
    permission: member.permission,
    actorLabel: actorLabel(member.user),
    ipAddress: member.request.ipAddress,
    userAgent: member.request.userAgent,
  };
}
