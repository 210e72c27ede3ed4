import type { Route } from "next";
import Link from "next/link";
import type { ReactNode } from "react";

/** What a list page shows in place of its table when there is nothing to list. */
export function EmptyList({ children }: { children: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
      {children}
    </div>
  );
}

/** A list's title and explanation when it is empty. */
export function EmptyListText({ title, detail }: { title: string; detail: string }) {
  return (
    <EmptyList>
      <p className="font-medium text-slate-800">{title}</p>
      <p className="mt-1 text-sm text-slate-600">{detail}</p>
    </EmptyList>
  );
}

const linkClass = "text-sm font-medium text-brand-700 hover:underline";

/**
 * The links under a list paged by cursor: back to the newest page (on an older one) and on to older
 * entries (when there are more). Nothing on a single page.
 */
export function ListPager({
  label,
  newestHref,
  olderHref,
  olderLabel,
}: {
  label: string;
  /** Set on an older page. */
  newestHref?: string;
  /** Set when older entries exist. */
  olderHref?: string;
  olderLabel: string;
}) {
  if (!newestHref && !olderHref) return null;
  return (
    <nav aria-label={label} className="flex flex-wrap items-center gap-4">
      {newestHref ? (
        <Link href={newestHref as Route} className={linkClass}>
          Newest
        </Link>
      ) : null}
      {olderHref ? (
        <Link href={olderHref as Route} className={linkClass}>
          {olderLabel}
        </Link>
      ) : null}
    </nav>
  );
}
