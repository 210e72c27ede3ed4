import "server-only";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { hashPassword } from "better-auth/crypto";
import { emailSchema, newPassword, operatorUserSchema, workspaceSchema } from "@/lib/validations/account";
import { type Command, runCli } from "./cli";
import { addMemberAsOperator, findWorkspaceBySlug, resetPasswordAsOperator } from "./queries/operators";
import { findUserByEmail } from "./queries/users";
import { getDefaultWorkspace } from "./queries/workspaces";

const usage = `Usage:
  npm run users:create -- --email <email> --name <name> --role owner|admin|viewer [--workspace <slug>]
                          [--existing-account]   (add an account that exists already: see below)
  npm run users:create -- --email <email> --name <name> --role owner --new-workspace <name>
                          (a new workspace with this person as its owner: how workspaces are made when
                          WORKSPACE_CREATION=closed)
  npm run users:reset-password -- --email <email>

The password is typed at the prompt, or piped as the first line of stdin; never passed as a flag.
An email that already has an account keeps the password its holder set, which may not be the person you
mean (anyone can be invited under any email): users:create refuses it unless --existing-account confirms,
and then ends every session of that account.`;

/** What is known of an existing account's holder and the mailbox its email names. */
function verification(email: string, verified: boolean): string {
  return verified
    ? `Its email is verified: its holder opened a link leadhook mailed to ${email}.`
    : `Its email is not verified: nothing shows that its holder reads ${email}.`;
}

/** A mistake of the operator's: printed as it is, exit code 1, nothing written. */
class UsageError extends Error {}

const options = {
  email: { type: "string" },
  name: { type: "string" },
  role: { type: "string" },
  workspace: { type: "string" },
  "existing-account": { type: "boolean" },
  "new-workspace": { type: "string" },
} as const;

function parse(args: string[]) {
  if (args.some((arg) => arg === "--password" || arg.startsWith("--password="))) {
    throw new UsageError(
      "--password is not accepted: a password on the command line ends up in shell history and the process list. " +
        "Type it at the prompt or pipe it on stdin.",
    );
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : error}\n\n${usage}`);
  }
}

/** Typed without echo at a terminal (asked twice), else the first line of piped stdin. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLine();
  const first = await promptHidden("Password (at least 12 characters): ");
  const again = await promptHidden("Repeat the password: ");
  if (first !== again) throw new UsageError("The two passwords differ. Nothing was changed.");
  return first;
}

function readFirstLine(): Promise<string> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    let answered = false;
    lines.once("line", (line) => {
      answered = true;
      resolve(line);
      lines.close();
    });
    lines.once("close", () => {
      if (!answered) resolve("");
      process.stdin.destroy();
    });
  });
}

function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        if (char === "\u0003") return finish(new UsageError("Cancelled. Nothing was changed."));
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on("data", onData);
  });
}

function checkPassword(password: string): string {
  const result = newPassword.safeParse(password);
  if (!result.success)
    throw new UsageError(`Password: ${result.error.issues[0]?.message}. Nothing was changed.`);
  return result.data;
}

async function create(args: string[]): Promise<string> {
  const values = parse(args);
  const parsed = operatorUserSchema.safeParse({
    email: values.email ?? "",
    name: values.name ?? "",
    role: values.role ?? "",
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const flag = String(issue.path[0]);
      return flag === "role" ? "--role: choose owner, admin or viewer" : `--${flag}: ${issue.message}`;
    });
    throw new UsageError(`${lines.join("\n")}\n\n${usage}`);
  }
  const { email, name, role } = parsed.data;
  const newWorkspace = values["new-workspace"]?.trim();
  if (values["new-workspace"] !== undefined) {
    if (values.workspace) throw new UsageError("Give --workspace or --new-workspace, not both.");
    const checked = workspaceSchema.safeParse({ name: newWorkspace });
    if (!checked.success) throw new UsageError(`--new-workspace: ${checked.error.issues[0]?.message}`);
    if (role !== "owner")
      throw new UsageError("--new-workspace: its first member is its owner (--role owner).");
  }
  const workspace = newWorkspace
    ? { newWorkspace }
    : values.workspace
      ? await findWorkspaceBySlug(values.workspace)
      : await getDefaultWorkspace();
  if (!workspace) throw new UsageError(`No workspace has the slug "${values.workspace}".`);
  const existing = await findUserByEmail(email);
  // Someone who already has an account keeps their password: never given a role without the operator
  // saying so, since whoever set that password may not be the person the operator means.
  if (existing && !values["existing-account"]) {
    throw new UsageError(
      `${email} already has an account, created ${existing.createdAt.toISOString().slice(0, 10)}, whose password ` +
        "was set by its holder, not by you: whoever that is would get this role. Nothing was changed.\n" +
        `${verification(email, existing.emailVerified)}\n` +
        "If you are sure the account is the person you mean, run the command again with --existing-account " +
        "(their sessions end; they keep their password). To take an account over instead, run users:reset-password.",
    );
  }
  const passwordHash = existing ? undefined : await hashPassword(checkPassword(await readPassword()));

  const added = await addMemberAsOperator(workspace, { email, name, role, passwordHash });
  const where = `"${added.workspace.name}"${newWorkspace ? ` (a new workspace, slug ${added.workspace.slug})` : ""}`;
  if (!added.created) {
    const ended = added.sessionsEnded === 1 ? "1 session" : `${added.sessionsEnded} sessions`;
    return (
      `${email} already had an account: added to ${where} as ${role}; ${ended} ended. ` +
      `Its password is the one its holder set, unchanged. ${verification(email, added.emailVerified)}`
    );
  }
  return `Created ${added.email} (${name}) as ${role} of ${where}. They can sign in now.`;
}

async function resetPassword(args: string[]): Promise<string> {
  const values = parse(args);
  const parsed = emailSchema.safeParse(values.email ?? "");
  if (!parsed.success) throw new UsageError(`--email: ${parsed.error.issues[0]?.message}\n\n${usage}`);
  const email = parsed.data;
  const known = await findUserByEmail(email);
  if (!known) throw new UsageError(`No account has the email ${email}. Nothing was changed.`);
  const passwordHash = await hashPassword(checkPassword(await readPassword()));

  const reset = await resetPasswordAsOperator(email, passwordHash);
  const sessionsText = reset.sessionsEnded === 1 ? "1 session" : `${reset.sessionsEnded} sessions`;
  return `Password reset for ${reset.email}; ${sessionsText} ended, so they sign in again with the new password.`;
}

/** A command that says what it did in one message. */
function printing(run: (args: string[]) => Promise<string>): Command {
  return async (args) => {
    console.log(await run(args));
    return 0;
  };
}

// An AppError from the query functions is the operator's mistake too (already a member, removed meanwhile):
// like a UsageError, runCli prints its message with exit code 1.
runCli(usage, { create: printing(create), "reset-password": printing(resetPassword) });
