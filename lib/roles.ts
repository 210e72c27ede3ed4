/** The roles a member can hold in a workspace, most powerful first. */
export const roles = ["owner", "admin", "viewer"] as const;
export type Role = (typeof roles)[number];

/**
 * What each role may do. Owners do everything; admins run the workspace's processes but not its members'
 * roles or the workspace itself; viewers read (callbacks with masked secrets, deliveries) and change nothing.
 */
const grants = {
  read: ["owner", "admin", "viewer"],
  "processes:write": ["owner", "admin"],
  "secrets:reveal": ["owner", "admin"],
  "secrets:rotate": ["owner", "admin"],
  "deliveries:test": ["owner", "admin"],
  "deliveries:redeliver": ["owner", "admin"],
  "keys:manage": ["owner", "admin"],
  "members:invite": ["owner", "admin"],
  "members:manage": ["owner"],
  "workspace:manage": ["owner"],
  "audit:read": ["owner", "admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof grants;

/** Whether a member with `role` may do what `permission` names. */
export function can(role: Role, permission: Permission): boolean {
  return (grants[permission] as readonly Role[]).includes(role);
}

/** The roles a member with `role` may hand out in an invitation: never one above their own. */
export function invitableRoles(role: Role): Role[] {
  if (role === "owner") return [...roles];
  if (role === "admin") return ["admin", "viewer"];
  return [];
}

export const roleLabels: Record<Role, string> = { owner: "Owner", admin: "Admin", viewer: "Viewer" };
