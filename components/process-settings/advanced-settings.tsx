"use client";

import { type ReactNode, useId } from "react";
import { Badge } from "../ui/badge";

/**
 * The "Advanced Settings" disclosure, collapsed at first, with a No callbacks / OK / Errors badge in its header (and
 * a warning beside it when a callback will fail to deliver though it can be saved). A
 * button with aria-expanded and a labelled region, as an accordion of one item renders them, without
 * shipping an accordion library for a single section.
 */
export function AdvancedSettings({
  open,
  onOpenChange,
  errorCount,
  warningCount = 0,
  callbackCount,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  errorCount: number;
  /** Callbacks in the form: with none there is nothing to call OK (a neutral "No callbacks"). */
  callbackCount: number;
  /** Callbacks that can be saved but whose deliveries will fail (whitelisting without static egress). */
  warningCount?: number;
  children: ReactNode;
}) {
  const id = useId();
  const state = open ? "open" : "closed";
  return (
    <div data-state={state} className="rounded-lg border border-slate-200 bg-slate-50">
      <h3 data-state={state} className="m-0">
        <button
          type="button"
          id={`${id}-trigger`}
          aria-controls={`${id}-content`}
          aria-expanded={open}
          data-state={state}
          onClick={() => onOpenChange(!open)}
          className="group flex w-full items-center justify-between gap-3 rounded-lg px-4 py-4 text-left sm:px-5"
        >
          <span className="text-lg font-semibold text-slate-900">Advanced Settings</span>
          <span className="flex flex-wrap items-center justify-end gap-x-3 gap-y-1">
            {warningCount > 0 ? (
              <Badge tone="warn" data-testid="advanced-settings-warning">
                {warningCount === 1 ? "1 callback will fail" : `${warningCount} callbacks will fail`}
              </Badge>
            ) : null}
            {errorCount === 0 && callbackCount === 0 ? (
              <Badge tone="neutral" data-testid="advanced-settings-status">
                No callbacks
              </Badge>
            ) : errorCount === 0 ? (
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
        </button>
      </h3>
      <section
        id={`${id}-content`}
        aria-labelledby={`${id}-trigger`}
        data-state={state}
        hidden={!open}
        className="border-t border-slate-200 px-3 py-5 sm:px-5"
      >
        {children}
      </section>
    </div>
  );
}
