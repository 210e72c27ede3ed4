"use client";

import type { Route } from "next";
import Link from "next/link";
import { useCallback, useEffect, useState, useTransition } from "react";
import type { CallbackHealth } from "@/lib/callback-health";
import { dueIn } from "@/lib/duration";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { DateTime } from "../ui/date-time";
import { Th } from "../ui/table";
import { DeliveryDetail } from "./delivery-detail";
import { FailureHintText, ShortFailureHint } from "./failure-hint";
import { SuccessChart } from "./success-chart";
import type { AttemptRow, DeliveryActions, DeliveryRow, HourlyBucket, TestSummary } from "./types";

const REFRESH_MS = 5000;
const statusTone = { succeeded: "ok", failed: "error", retrying: "warn", pending: "neutral" } as const;
const statusLabel = {
  succeeded: "Succeeded",
  failed: "Failed",
  retrying: "Retrying",
  pending: "Pending",
} as const;

/**
 * "Recent deliveries" of a saved callback: refreshing list, 24-hour chart, Send test and Redeliver.
 * `showDisabledReason` false: the block already says why leadhook turned the callback off.
 */
export function DeliveryLog({
  callbackId,
  actions,
  showDisabledReason = true,
  onHealth,
}: {
  callbackId: string;
  actions: DeliveryActions;
  showDisabledReason?: boolean;
  /** Each refresh's health of the callback, so the block's header agrees with the list. */
  onHealth?: (health: CallbackHealth) => void;
}) {
  const [data, setData] = useState<{
    disabledReason: string | null;
    recent: DeliveryRow[];
    hourly: HourlyBucket[];
  }>();
  const [selected, setSelected] = useState<{
    id: string;
    payload: unknown;
    status: string;
    attempts: AttemptRow[];
  }>();
  const [test, setTest] = useState<TestSummary | string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, startBusy] = useTransition();

  const refresh = useCallback(async () => {
    const result = await actions.load(callbackId);
    if (!result.ok) return;
    setData(result);
    if (result.health) onHealth?.(result.health);
  }, [actions, callbackId, onHealth]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const open = (deliveryId: string) =>
    startBusy(async () => {
      const result = await actions.loadDetail(callbackId, deliveryId);
      if (result.ok) setSelected({ id: deliveryId, ...result });
      else setMessage(result.message);
    });

  return (
    <section className="space-y-3 border-t border-slate-200 pt-4" aria-label="Recent deliveries">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h4 className="text-sm font-semibold text-slate-900">Recent deliveries</h4>
        {actions.replaysPath ? (
          <Link
            href={`${actions.replaysPath}?${new URLSearchParams({ callback: callbackId })}` as Route}
            className="ml-auto text-sm font-medium text-brand-700 underline-offset-2 hover:underline"
          >
            Replay failed deliveries…
          </Link>
        ) : null}
        {actions.sendTest ? (
          <SendTestButton
            busy={busy}
            onClick={() =>
              startBusy(async () => {
                setTest(null);
                const result = await actions.sendTest?.(callbackId);
                if (!result) return;
                setTest(result.ok ? result.summary : result.message);
                await refresh();
              })
            }
          />
        ) : null}
      </div>
      {showDisabledReason && data?.disabledReason ? (
        <p role="alert" className="rounded-md bg-amber-50 p-2 text-sm text-amber-900">
          {data.disabledReason} Switch Enabled back on and save to resume deliveries.
        </p>
      ) : null}
      {test ? <TestResult result={test} /> : null}
      {message ? <p className="text-sm text-red-700">{message}</p> : null}
      {data ? <SuccessChart hourly={data.hourly} /> : null}
      {data && data.recent.length === 0 ? (
        <p className="text-sm text-slate-600">
          No deliveries yet. Send a test, or send an event for this process.
        </p>
      ) : null}
      {data?.recent.length ? (
        // Its own scroll box on a narrow screen; `relative` keeps the screen-reader-only caption inside it.
        <div className="relative overflow-x-auto">
          <table className="w-full min-w-[34rem] text-left text-xs">
            <caption className="sr-only">Recent deliveries, newest first</caption>
            <thead className="text-slate-500">
              <tr>
                <Th compact>Status</Th>
                <Th compact>Event</Th>
                <Th compact>Code</Th>
                <Th compact>Latency</Th>
                <Th compact>Time</Th>
                <Th hidden compact>
                  Details
                </Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.recent.map((d) => (
                <tr key={d.id}>
                  <td className="py-1.5">
                    <Badge tone={statusTone[d.status]}>{statusLabel[d.status]}</Badge>
                    {d.status === "retrying" && d.nextAttemptAt ? (
                      <span
                        className="ml-1.5 text-xs whitespace-nowrap text-slate-600"
                        title={d.nextAttemptAt}
                      >
                        next attempt {dueIn(new Date(d.nextAttemptAt))}
                      </span>
                    ) : null}
                    {d.hint ? <ShortFailureHint hint={d.hint} retrying={d.status === "retrying"} /> : null}
                  </td>
                  <td className="py-1.5 font-mono">
                    {d.eventType}
                    {d.isTest ? <span className="ml-1 font-sans text-slate-500">(test)</span> : null}
                  </td>
                  <td className="py-1.5">{d.lastResponseStatus ?? (d.lastError ? "—" : "")}</td>
                  <td className="py-1.5">{d.latencyMs === null ? "" : `${d.latencyMs} ms`}</td>
                  <td className="py-1.5 whitespace-nowrap text-slate-600">
                    <DateTime value={d.lastAttemptAt ?? d.createdAt} />
                  </td>
                  <td className="py-1.5 text-right">
                    <Button
                      size="sm"
                      variant="link"
                      onClick={() => open(d.id)}
                      aria-label={`View delivery ${d.id}`}
                    >
                      View
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {selected ? (
        <DeliveryDetail
          detail={selected}
          busy={busy}
          onClose={() => setSelected(undefined)}
          onRedeliver={
            actions.redeliver
              ? () =>
                  startBusy(async () => {
                    const result = await actions.redeliver?.(callbackId, selected.id);
                    if (!result) return;
                    setMessage(result.ok ? null : result.message);
                    if (result.ok) setTest("Queued for redelivery with the same webhook-id.");
                    await refresh();
                  })
              : undefined
          }
        />
      ) : null}
    </section>
  );
}

function SendTestButton({ busy, onClick }: { busy: boolean; onClick: () => void }) {
  return (
    <Button size="sm" variant="secondary" disabled={busy} onClick={onClick}>
      {busy ? "Working…" : "Send test"}
    </Button>
  );
}

function TestResult({ result }: { result: TestSummary | string }) {
  if (typeof result === "string") {
    return (
      <p role="status" data-testid="send-test-result" className="rounded-md bg-slate-50 p-2 text-sm">
        {result}
      </p>
    );
  }
  const ok = result.outcome === "succeeded";
  return (
    <div
      role="status"
      data-testid="send-test-result"
      className={`space-y-1 rounded-md p-2 text-sm ${ok ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-900"}`}
    >
      <p className="font-medium">
        {ok ? "Test delivered" : "Test failed"}
        {result.responseStatus ? `: HTTP ${result.responseStatus}` : ""} in {result.latencyMs} ms
      </p>
      {result.hint ? (
        <FailureHintText hint={result.hint} />
      ) : result.errorMessage ? (
        <p>{result.errorMessage}</p>
      ) : null}
      {result.responseExcerpt ? (
        <pre className="max-h-24 overflow-auto text-xs whitespace-pre-wrap">{result.responseExcerpt}</pre>
      ) : null}
    </div>
  );
}
