"use client";

import { Accordion } from "radix-ui";
import type { ReactNode } from "react";
import type { FieldErrors } from "react-hook-form";
import type { ProcessSettingsInput } from "@/lib/validations/process";
import { Badge } from "../ui/badge";

type ParseResult = { success: boolean; error?: { issues: { path: PropertyKey[] }[] } };

/**
 * How many callback fields have a problem: what the schema finds in the current values, plus errors the
 * server reported (such as a host resolving to a private address) that no edit has cleared yet.
 */
export function countCallbackErrors(parsed: ParseResult, errors: FieldErrors<ProcessSettingsInput>): number {
  const paths = new Set<string>();
  for (const issue of parsed.error?.issues ?? []) {
    if (issue.path[0] === "callbacks") paths.add(issue.path.map(String).join("."));
  }
  const walk = (node: unknown, prefix: string) => {
    if (!node || typeof node !== "object") return;
    const entry = node as { type?: unknown; message?: unknown };
    if (entry.type === "server" && typeof entry.message === "string") paths.add(prefix);
    for (const [key, child] of Object.entries(node)) {
      if (key !== "ref" && typeof child === "object") walk(child, `${prefix}.${key}`);
    }
  };
  walk(errors.callbacks, "callbacks");
  return paths.size;
}

/** The "Advanced Settings" accordion, collapsed at first, with an OK / Errors badge in its header. */
export function AdvancedSettings({
  open,
  onOpenChange,
  errorCount,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  errorCount: number;
  children: ReactNode;
}) {
  return (
    <Accordion.Root
      type="single"
      collapsible
      value={open ? "advanced" : ""}
      onValueChange={(value) => onOpenChange(value === "advanced")}
      className="rounded-lg border border-slate-200 bg-slate-50"
    >
      <Accordion.Item value="advanced">
        <Accordion.Header className="m-0">
          <Accordion.Trigger className="group flex w-full items-center justify-between gap-3 rounded-lg px-5 py-4 text-left">
            <span className="text-lg font-semibold text-slate-900">Advanced Settings</span>
            <span className="flex items-center gap-3">
              {errorCount === 0 ? (
                <Badge tone="ok" data-testid="advanced-settings-status">
                  OK
                </Badge>
              ) : (
                <Badge tone="error" data-testid="advanced-settings-status" title={`${errorCount} to fix`}>
                  Errors ({errorCount})
                </Badge>
              )}
              <svg
                aria-hidden="true"
                viewBox="0 0 20 20"
                className="size-5 text-slate-500 transition-transform group-data-[state=open]:rotate-180"
              >
                <path
                  fill="currentColor"
                  d="M5.2 7.2a.75.75 0 0 1 1.06 0L10 10.94l3.74-3.74a.75.75 0 1 1 1.06 1.06l-4.27 4.27a.75.75 0 0 1-1.06 0L5.2 8.26a.75.75 0 0 1 0-1.06Z"
                />
              </svg>
            </span>
          </Accordion.Trigger>
        </Accordion.Header>
        <Accordion.Content
          forceMount
          className="border-t border-slate-200 px-5 py-5 data-[state=closed]:hidden"
        >
          {children}
        </Accordion.Content>
      </Accordion.Item>
    </Accordion.Root>
  );
}
