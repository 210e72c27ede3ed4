import { type FailureHint, shortHint } from "@/lib/webhooks/hints";
import { cn } from "../ui/cn";

/** A failed attempt in plain words, with the technical fact beside it in smaller type. */
export function FailureHintText({ hint, className }: { hint: FailureHint; className?: string }) {
  return (
    <div className={cn("flex flex-wrap items-baseline gap-x-2", className)} data-testid="failure-hint">
      <p className="font-medium wrap-anywhere">{hint.hint}</p>
      <p className="text-[0.85em] opacity-80 wrap-anywhere">{hint.detail}</p>
    </div>
  );
}

/** The first clause of a hint, for a table row; the whole hint is its tooltip. */
export function ShortFailureHint({ hint, retrying }: { hint: string; retrying: boolean }) {
  return (
    <span
      className={cn(
        "mt-0.5 block max-w-56 text-[11px] leading-snug",
        retrying ? "text-amber-800" : "text-red-700",
      )}
      title={hint}
    >
      {shortHint(hint)}
    </span>
  );
}
