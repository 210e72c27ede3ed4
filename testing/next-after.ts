/**
 * Next's `after()` needs the request scope `next start` gives a route handler; tests call handlers
 * directly, without one. A test file swaps it for `runAfter` (vi.mock is hoisted, hence the import inside):
 *
 *   vi.mock("next/server", async (original) => (await import("@/testing/next-after")).withRunAfter(original));
 *
 * and `await settleAfter()` before asserting on what the callbacks did.
 */
const pending = new Set<Promise<unknown>>();

export function runAfter(task: (() => unknown) | Promise<unknown>): void {
  const promise = Promise.resolve().then(() => (typeof task === "function" ? task() : task));
  pending.add(promise);
  void promise.finally(() => pending.delete(promise));
}

/** Waits until every callback given to `after()` so far (and any they scheduled) has finished. */
export async function settleAfter(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}

/** The `next/server` module with `after` replaced by `runAfter`: the factory of the vi.mock above. */
export async function withRunAfter(original: <T>() => Promise<T>) {
  return { ...(await original<typeof import("next/server")>()), after: runAfter };
}
