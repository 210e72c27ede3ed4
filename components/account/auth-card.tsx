import type { ReactNode } from "react";

/** The narrow card of the sign-in, first-run and invitation pages. */
export function AuthCard({
  title,
  intro,
  footer,
  children,
}: {
  title: string;
  intro?: ReactNode;
  footer?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="mx-auto max-w-md space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-xs sm:p-8">
      <div className="space-y-1">
        <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
        {intro ? <div className="text-sm text-slate-600">{intro}</div> : null}
      </div>
      {children}
      {footer ? <p className="text-xs text-slate-500">{footer}</p> : null}
    </div>
  );
}
