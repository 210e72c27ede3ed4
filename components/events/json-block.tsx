import { type ReactNode, useId } from "react";

/**
 * Text a person may need to read in full (a payload, a body sent): labelled, kept exactly as given, and
 * scrolling inside its own box (focusable, so the keyboard can scroll it too).
 */
export function JsonBlock({ label, text, action }: { label: string; text: string; action?: ReactNode }) {
  const id = useId();
  return (
    <figure aria-labelledby={id} className="space-y-1">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <figcaption id={id} className="text-sm font-medium text-slate-800">
          {label}
        </figcaption>
        {action}
      </div>
      <pre
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard
        tabIndex={0}
        className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-800"
      >
        {text}
      </pre>
    </figure>
  );
}
