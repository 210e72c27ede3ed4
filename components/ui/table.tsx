import type { ReactNode } from "react";

/** A column header of the app's tables; `hidden` for one only screen readers need, `compact` for small tables. */
export function Th({
  children,
  compact,
  hidden,
}: {
  children: ReactNode;
  compact?: boolean;
  hidden?: boolean;
}) {
  return (
    <th scope="col" className={compact ? "py-1 pr-2 font-medium" : "px-4 py-3 font-medium"}>
      {hidden ? <span className="sr-only">{children}</span> : children}
    </th>
  );
}
