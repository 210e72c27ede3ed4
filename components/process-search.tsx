"use client";

import type { Route } from "next";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import { inputClass } from "./ui/field";

/** Filters the process list by name as you type, keeping the filter in the URL (?q=). */
export function ProcessSearch() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();

  return (
    <search className="block w-full max-w-xs">
      <label htmlFor="process-search" className="sr-only">
        Search processes
      </label>
      <input
        id="process-search"
        name="q"
        type="search"
        placeholder="Search processes"
        defaultValue={params.get("q") ?? ""}
        aria-busy={pending}
        className={inputClass}
        onChange={(event) => {
          const q = event.target.value.trim();
          startTransition(() =>
            router.replace((q ? `${pathname}?q=${encodeURIComponent(q)}` : pathname) as Route),
          );
        }}
      />
    </search>
  );
}
