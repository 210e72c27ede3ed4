import type { Metadata } from "next";
import { getMember } from "@/auth/member";
import { getProcess } from "@/db/queries/processes";
import { uuidParam } from "@/lib/uuid";

/**
 * The title of one of a process's pages: "Events · <process>". Just the section when the process is not
 * the member's (the page itself answers 404 or sends them to sign in).
 */
export async function processPageTitle(processId: string, section: string): Promise<Metadata> {
  const member = await getMember();
  const id = uuidParam(processId);
  const process = member && id ? await getProcess(member.workspace.id, id) : undefined;
  return { title: process ? `${section} · ${process.name}` : section };
}
