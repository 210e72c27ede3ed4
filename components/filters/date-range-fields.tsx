import type { Route } from "next";
import Link from "next/link";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { FilterField } from "./filter-fields";

/** From / To date inputs and Apply / Clear, the end of every list page's filter form. */
export function DateRangeFields({
  idPrefix,
  values,
  clearHref,
  actionsClassName,
}: {
  idPrefix: string;
  values: { from: string; to: string };
  clearHref: string;
  actionsClassName: string;
}) {
  return (
    <>
      {(["from", "to"] as const).map((name) => (
        <FilterField key={name} id={`${idPrefix}-${name}`} label={name === "from" ? "From" : "To"}>
          <input
            id={`${idPrefix}-${name}`}
            name={name}
            type="date"
            defaultValue={values[name]}
            className={inputClass}
          />
        </FilterField>
      ))}
      <div className={`flex items-center gap-3 ${actionsClassName}`}>
        <Button type="submit">Apply</Button>
        <Link href={clearHref as Route} className="text-sm font-medium text-brand-700 hover:underline">
          Clear
        </Link>
      </div>
    </>
  );
}

/** What a list page ignored in its link, said at the top of the page. */
export function FilterProblems({ problems }: { problems: string[] }) {
  if (!problems.length) return null;
  return (
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
      <ul className="list-disc space-y-1 pl-5">
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </div>
  );
}
