export type BatcherOptions = {
  /** A batch holds at most this many items; a full batch is run at once. */
  maxSize: number;
  /** At most this many batches run at the same time; items queue meanwhile and join the next batch. */
  maxConcurrent: number;
};

/**
 * Groups calls made at about the same time into one batch: items queued in the same turn of the event
 * loop (and any queued while earlier batches run) are handed to `run` together. `run` answers one result
 * per item, in order; an Error in the answer rejects that item's caller alone. When `run` throws, every
 * caller of that batch gets the error, so no item is lost silently. Each caller's promise settles only
 * after its own batch has finished.
 */
export function createBatcher<In, Out>(
  run: (items: In[]) => Promise<(Out | Error)[]>,
  { maxSize, maxConcurrent }: BatcherOptions,
): (item: In) => Promise<Out> {
  type Pending = { item: In; resolve: (out: Out) => void; reject: (error: unknown) => void };
  let queue: Pending[] = [];
  let running = 0;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (queue.length && running < maxConcurrent) {
      const batch = queue.slice(0, maxSize);
      queue = queue.slice(batch.length);
      running++;
      runBatch(batch).finally(() => {
        running--;
        if (queue.length) schedule();
      });
    }
  };

  const runBatch = async (batch: Pending[]) => {
    try {
      const results = await run(batch.map((p) => p.item));
      if (results.length !== batch.length) {
        throw new Error(`A batch of ${batch.length} answered ${results.length} results`);
      }
      batch.forEach((p, i) => {
        const result = results[i] as Out | Error;
        if (result instanceof Error) p.reject(result);
        else p.resolve(result);
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // setImmediate, not a microtask: callers whose I/O completed in the same poll phase join one batch.
    setImmediate(flush);
  };

  return (item: In) =>
    new Promise<Out>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (queue.length >= maxSize && running < maxConcurrent) flush();
      else schedule();
    });
}
