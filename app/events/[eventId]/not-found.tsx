import type { Route } from "next";
import Link from "next/link";

export default function EventNotFound() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-2xl font-semibold">Event not found</h1>
      <p className="mt-2 text-slate-600">This event does not exist, or it was deleted with its process.</p>
      <Link href={"/events" as Route} className="mt-6 inline-block text-brand-700 underline">
        Back to Events
      </Link>
    </div>
  );
}
