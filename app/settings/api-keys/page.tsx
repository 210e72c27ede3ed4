import type { Metadata } from "next";
import { requirePageMember } from "@/auth/member";
import { ApiKeyList } from "@/components/api-keys/api-key-list";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { listApiKeys } from "@/db/queries/api-keys";
import { can } from "@/lib/roles";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API Keys" };

export default async function ApiKeysPage() {
  const member = await requirePageMember("/settings/api-keys");
  const canManage = can(member.role, "keys:manage");
  const keys = await listApiKeys(member.workspace.id);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">API Keys</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          Event producers (the calling engine) send lead updates to{" "}
          <code className="font-mono">POST /api/events</code> with{" "}
          <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>. A key is shown once, when it
          is created; leadhook keeps only its hash.
        </p>
      </div>
      {canManage ? (
        <CreateApiKeyForm create={createApiKeyAction.bind(null, member.workspace.id)} />
      ) : (
        <p className="text-sm text-slate-600">Owners and admins create and revoke keys.</p>
      )}
      <ApiKeyList
        keys={keys.map((k) => ({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          createdAt: k.createdAt.toISOString(),
          lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
          revokedAt: k.revokedAt?.toISOString() ?? null,
        }))}
        revoke={canManage ? revokeApiKeyAction.bind(null, member.workspace.id) : undefined}
      />
    </div>
  );
}
