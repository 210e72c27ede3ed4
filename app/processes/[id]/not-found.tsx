import Link from "next/link";

export default function ProcessNotFound() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-2xl font-semibold">Process not found</h1>
      <p className="mt-2 text-slate-600">This process does not exist, or it was deleted.</p>
      <Link href="/processes" className="mt-6 inline-block text-brand-700 underline">
        Back to Processes
      </Link>
    </div>
  );
}
