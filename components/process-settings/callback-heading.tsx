"use client";

import { Badge } from "../ui/badge";

/**
 * The heading of a callback block (its name, or "Callback N"): a button with aria-expanded that collapses the block to
 * a one-line summary and expands it again, with badges for what needs attention while it is collapsed.
 */
export function CallbackHeading({
  title,
  titleId,
  bodyId,
  summary,
  expanded,
  onToggle,
  problems,
  egressWarning,
}: {
  title: string;
  /** The id of the title text, which names the block's group. */
  titleId: string;
  bodyId: string;
  summary: string;
  expanded: boolean;
  onToggle: () => void;
  problems: number;
  egressWarning: boolean;
}) {
  return (
    <div className="flex min-w-0 flex-1 basis-56 flex-wrap items-center gap-x-3 gap-y-1">
      <h3 className="flex min-w-0 flex-1 basis-48">
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={bodyId}
          aria-label={`${title}: ${summary}`}
          data-state={expanded ? "open" : "closed"}
          onClick={onToggle}
          className="group flex w-full min-w-0 items-center gap-2 rounded-md text-left"
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 20 20"
            className="size-5 shrink-0 -rotate-90 text-slate-500 transition-transform group-data-[state=open]:rotate-0"
          >
            <path
              fill="currentColor"
              d="M5.2 7.2a.75.75 0 0 1 1.06 0L10 10.94l3.74-3.74a.75.75 0 1 1 1.06 1.06l-4.27 4.27a.75.75 0 0 1-1.06 0L5.2 8.26a.75.75 0 0 1 0-1.06Z"
            />
          </svg>
          {/* A long name is cut with an ellipsis and given whole in the tooltip; the summary yields first. */}
          <span
            id={titleId}
            title={title}
            className="min-w-0 truncate text-base font-semibold text-slate-900"
          >
            {title}
          </span>
          {expanded ? null : (
            <span
              className="min-w-0 flex-1 basis-0 truncate text-sm text-slate-600"
              data-testid="callback-summary"
            >
              {summary}
            </span>
          )}
        </button>
      </h3>
      {!expanded && problems > 0 ? <Badge tone="error">Errors ({problems})</Badge> : null}
      {!expanded && egressWarning ? <Badge tone="warn">Deliveries will fail</Badge> : null}
    </div>
  );
}
