import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeliveryStatus } from "@/components/deliveries/delivery-status";
import { ProcessSettingsForm } from "@/components/process-settings/process-settings-form";
import { getProcessSettings } from "@/db/queries/callbacks";
import { getDeliveryBacklog } from "@/db/queries/events";
import { getCurrentWorkspace } from "@/db/queries/workspaces";
import { engineDescriptions } from "@/delivery/engine";
import { deliveryEngine, getEnv } from "@/lib/env";
import { countCallbackErrors, createProcessSettingsSchema } from "@/lib/validations/process";
import { revealSigningSecretAction, rotateSigningSecretAction, saveProcessSettingsAction } from "./actions";
import {
  loadDeliveriesAction,
  loadDeliveryAction,
  redeliverAction,
  sendTestAction,
} from "./delivery-actions";

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
  const backlog = await getDeliveryBacklog(process.id);
  const engine = deliveryEngine(env);
  const initialErrorCount = countCallbackErrors(
    createProcessSettingsSchema({ allowPrivateUrls: env.ALLOW_PRIVATE_CALLBACK_URLS }).safeParse(
      settings.values,
    ),
  );

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href="/processes" className="hover:underline">
          Processes
        </Link>{" "}
        / <span aria-current="page">{process.name}</span>
      </nav>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">{process.name}</h1>
      </div>
      <DeliveryStatus engine={engine} engineDescription={engineDescriptions[engine]} {...backlog} />
      <ProcessSettingsForm
        initial={{ values: settings.values, signingSecretHints: settings.signingSecretHints }}
        initialErrorCount={initialErrorCount}
        allowPrivateUrls={env.ALLOW_PRIVATE_CALLBACK_URLS}
        egressIps={env.CALLBACK_EGRESS_IPS}
        save={saveProcessSettingsAction.bind(null, process.id)}
        deliveryActions={{
          load: loadDeliveriesAction.bind(null, process.id),
          loadDetail: loadDeliveryAction.bind(null, process.id),
          sendTest: sendTestAction.bind(null, process.id),
          redeliver: redeliverAction.bind(null, process.id),
        }}
        reveal={revealSigningSecretAction.bind(null, process.id)}
        rotate={rotateSigningSecretAction.bind(null, process.id)}
      />
    </div>
  );
}
