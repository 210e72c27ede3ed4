import type { ComponentProps } from "react";
import { cn } from "./cn";

const tones = {
  ok: "bg-emerald-50 text-emerald-800 ring-emerald-600/30",
  error: "bg-red-50 text-red-800 ring-red-600/30",
  warn: "bg-amber-50 text-amber-800 ring-amber-600/30",
  neutral: "bg-slate-100 text-slate-700 ring-slate-500/20",
  info: "bg-brand-50 text-brand-700 ring-brand-600/20",
} as const;

export function Badge({
  tone = "neutral",
  className,
  ...props
}: ComponentProps<"span"> & { tone?: keyof typeof tones }) {
  return (
    <span
      className={cn(
        "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset",
        tones[tone],
        className,
      )}
      {...props}
    />
  );
}
