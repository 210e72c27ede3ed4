import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher";

function deferred() {
  let release = () => {};
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

describe("createBatcher", () => {
  it("runs items asked for in the same turn as one batch and answers each caller its own result", async () => {
    const batches: number[][] = [];
    const double = createBatcher(
      async (items: number[]) => {
        batches.push(items);
        return items.map((n) => n * 2);
      },
      { maxSize: 100, maxConcurrent: 1 },
    );
    const results = await Promise.all([1, 2, 3, 4].map((n) => double(n)));
    expect(results).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it("splits at maxSize, and items queued while a batch runs join the next one", async () => {
    const gate = deferred();
    const batches: number[][] = [];
    const echo = createBatcher(
      async (items: number[]) => {
        batches.push(items);
        await gate.promise;
        return items;
      },
      { maxSize: 3, maxConcurrent: 1 },
    );
    const first = [1, 2, 3, 4, 5].map((n) => echo(n));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [6, 7].map((n) => echo(n));
    await new Promise((resolve) => setImmediate(resolve));
    // One batch at a time: the full first batch runs, everything else waits for it.
    expect(batches).toEqual([[1, 2, 3]]);
    gate.release();
    expect(await Promise.all([...first, ...later])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it("rejects every caller of a batch that throws, and only that batch", async () => {
    let calls = 0;
    const flaky = createBatcher(
      async (items: string[]) => {
        calls++;
        if (calls === 1) throw new Error("database unavailable");
        return items;
      },
      { maxSize: 2, maxConcurrent: 1 },
    );
    const results = await Promise.allSettled(["a", "b", "c"].map((s) => flaky(s)));
    expect(results).toEqual([
      { status: "rejected", reason: new Error("database unavailable") },
      { status: "rejected", reason: new Error("database unavailable") },
      { status: "fulfilled", value: "c" },
    ]);
  });

  it("rejects only the caller whose result is an Error", async () => {
    const check = createBatcher(
      async (items: number[]) => items.map((n) => (n < 0 ? new Error(`${n} is negative`) : n)),
      { maxSize: 10, maxConcurrent: 1 },
    );
    const results = await Promise.allSettled([1, -1, 2].map((n) => check(n)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe("-1 is negative");
  });

  it("rejects all callers when run answers the wrong number of results", async () => {
    const short = createBatcher(async (items: number[]) => items.slice(1), {
      maxSize: 10,
      maxConcurrent: 1,
    });
    const results = await Promise.allSettled([1, 2].map((n) => short(n)));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
  });

  it("runs up to maxConcurrent batches at once", async () => {
    const gate = deferred();
    let running = 0;
    let most = 0;
    const slow = createBatcher(
      async (items: number[]) => {
        running++;
        most = Math.max(most, running);
        await gate.promise;
        running--;
        return items;
      },
      { maxSize: 1, maxConcurrent: 2 },
    );
    const all = Promise.all([1, 2, 3, 4].map((n) => slow(n)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(2);
    gate.release();
    expect(await all).toEqual([1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});
