import type { Route } from "next";
import type { Role } from "@/lib/roles";

/** The signed-in member as the header shows them (the layout loads it). */
export type HeaderMember = {
  name: string;
  email: string;
  role: Role;
  workspaceId: string;
  workspaces: { id: string; name: string }[];
  /** Whether this server lets members start workspaces (WORKSPACE_CREATION). */
  canCreateWorkspace: boolean;
  links: { href: Route; label: string }[];
};
