import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getMember, requirePageMember } from "@/auth/member";
import { appOrigin } from "@/auth/request-info";
import { DeliveryStatus } from "@/components/deliveries/delivery-status";
import { ProcessBreadcrumb } from "@/components/process-breadcrumb";
import { AutoDisabledAlert } from "@/components/process-settings/auto-disabled-alert";
import { CallbackHealthProvider } from "@/components/process-settings/callback-health";
import { ProcessSettingsForm } from "@/components/process-settings/process-settings-form";
import { SendEventsPanel } from "@/components/producer/send-events-panel";
import { getCallbackHealth } from "@/db/queries/callback-health";
import { getProcessSettings } from "@/db/queries/callbacks";

import { getDeliveryBacklog } from "@/db/queries/events";
import { deliveryEngine, getEnv } from "@/lib/env";
import { can } from "@/lib/roles";
import { exampleCurl } from "@/lib/sample-event";
import { uuidParam } from "@/lib/uuid";
import { countCallbackErrors, createProcessSettingsSchema } from "@/lib/validations/process";
import { revealSigningSecretAction, rotateSigningSecretAction, saveProcessSettingsAction } from "./actions";
import {
  loadDeliveriesAction,
  loadDeliveryAction,
  redeliverAction,
  sendTestAction,
} from "./delivery-actions";
import { sendSampleEventAction } from "./sample-event-actions";

export const dynamic = "force-dynamic";

// generateMetadata and the page render in one request: load (and decrypt) the process once.
const loadSettings = cache(getProcessSettings);

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const member = await getMember();
  const id = uuidParam((await params).id);
  const settings = member && id ? await loadSettings(member.workspace.id, id) : undefined;
  return { title: settings?.process.name ?? "Process" };
}

export default async function ProcessPage({ params }: Props) {
  const { id } = await params;
  const member = await requirePageMember(`/processes/${id}`);
  const processId = uuidParam(id);
  const settings = processId ? await loadSettings(member.workspace.id, processId) : undefined;
  if (!settings) notFound();
  const allowed = (permission: Parameters<typeof can>[1]) => can(member.role, permission);
  const env = getEnv();
  const { process } = settings;
  const [backlog, health] = await Promise.all([
    getDeliveryBacklog(process.id),
    getCallbackHealth([process.id]),
  ]);
  const engine = deliveryEngine(env);
  const initialErrorCount = countCallbackErrors(
    createProcessSettingsSchema({ allowPrivateUrls: env.ALLOW_PRIVATE_CALLBACK_URLS }).safeParse(
      settings.values,
    ),
  );

  return (
    <div className="space-y-6">
      <ProcessBreadcrumb process={process} />
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">{process.name}</h1>
        <nav aria-label="Process" className="flex gap-4 text-sm font-medium">
          <Link href={`/processes/${process.id}/events`} className="text-brand-700 hover:underline">
            Events
          </Link>
          <Link href={`/processes/${process.id}/replays`} className="text-brand-700 hover:underline">
            Replays
          </Link>
        </nav>
      </div>
      <SendEventsPanel
        processId={process.id}
        curl={exampleCurl(appOrigin(await headers()), process.id)}
        sendSample={
          allowed("deliveries:test")
            ? sendSampleEventAction.bind(null, member.workspace.id, process.id)
            : undefined
        }
      />
      <DeliveryStatus engine={engine} retrySchedule={env.DELIVERY_RETRY_SCHEDULE} {...backlog} />
      <AutoDisabledAlert health={health} callbacks={settings.values.callbacks} />
      <CallbackHealthProvider health={Object.fromEntries(health.map((h) => [h.callbackId, h]))}>
        <ProcessSettingsForm
          initial={{ values: settings.values, signingSecretHints: settings.signingSecretHints }}
          previousSecretExpiry={settings.previousSecretExpiry}
          initialErrorCount={initialErrorCount}
          allowPrivateUrls={env.ALLOW_PRIVATE_CALLBACK_URLS}
          egressIps={env.CALLBACK_EGRESS_IPS}
          staticEgress={Boolean(env.CALLBACK_EGRESS_PROXY_URL)}
          save={
            allowed("processes:write")
              ? saveProcessSettingsAction.bind(null, member.workspace.id, process.id)
              : undefined
          }
          deliveryActions={{
            load: loadDeliveriesAction.bind(null, member.workspace.id, process.id),
            loadDetail: loadDeliveryAction.bind(null, member.workspace.id, process.id),
            sendTest: allowed("deliveries:test")
              ? sendTestAction.bind(null, member.workspace.id, process.id)
              : undefined,
            redeliver: allowed("deliveries:redeliver")
              ? redeliverAction.bind(null, member.workspace.id, process.id)
              : undefined,
            replaysPath: allowed("deliveries:redeliver") ? `/processes/${process.id}/replays` : undefined,
          }}
          reveal={
            allowed("secrets:reveal")
              ? revealSigningSecretAction.bind(null, member.workspace.id, process.id)
              : undefined
          }
          rotate={
            allowed("secrets:rotate")
              ? rotateSigningSecretAction.bind(null, member.workspace.id, process.id)
              : undefined
          }
        />
      </CallbackHealthProvider>
    </div>
  );
}
