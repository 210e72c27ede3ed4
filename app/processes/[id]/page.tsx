import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ProcessSettingsForm } from "@/components/process-settings/process-settings-form";
import { getProcessSettings } from "@/db/queries/callbacks";
import { getCurrentWorkspace } from "@/db/queries/workspaces";
import { getEnv } from "@/lib/env";
import { revealSigningSecretAction, rotateSigningSecretAction, saveProcessSettingsAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

async function load(id: string) {
  const workspace = await getCurrentWorkspace();
  return getProcessSettings(workspace.id, id);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const settings = await load((await params).id);
  return { title: settings?.process.name ?? "Process not found" };
}

export default async function ProcessPage({ params }: Props) {
  const { id } = await params;
  const settings = await load(id);
  if (!settings) notFound();
  const env = getEnv();
  const { process } = settings;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href="/processes" className="hover:underline">
          Processes
        </Link>{" "}
        / <span aria-current="page">{process.name}</span>
      </nav>
      <h1 className="text-2xl font-semibold tracking-tight">{process.name}</h1>
      <ProcessSettingsForm
        initial={{ values: settings.values, signingSecretHints: settings.signingSecretHints }}
        allowPrivateUrls={env.ALLOW_PRIVATE_CALLBACK_URLS}
        egressIps={env.CALLBACK_EGRESS_IPS}
        save={saveProcessSettingsAction.bind(null, process.id)}
        reveal={revealSigningSecretAction.bind(null, process.id)}
        rotate={rotateSigningSecretAction.bind(null, process.id)}
      />
    </div>
  );
}
