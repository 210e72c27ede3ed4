/**
 * Counts failures per client address in fixed windows, in this server's memory: once an address has
 * failed `limit` times in a window, it is held back until the window ends. Memory stays bounded: expired
 * windows are dropped when the map grows past `maxAddresses`, and if every one is live, the oldest go.
 */
export function createFailureLimiter(options: { limit: number; windowMs: number; maxAddresses?: number }) {
  const { limit, windowMs, maxAddresses = 10_000 } = options;
  const windows = new Map<string, { failures: number; endsAt: number }>();

  function prune(now: number) {
    for (const [address, window] of windows) if (window.endsAt <= now) windows.delete(address);
    for (const address of windows.keys()) {
      if (windows.size < maxAddresses) break;
      windows.delete(address); // insertion order: the oldest first
    }
  }

  return {
    /** Milliseconds until `address` may try again, or 0 when it may now. */
    heldFor(address: string, now = Date.now()): number {
      const window = windows.get(address);
      if (!window || window.endsAt <= now || window.failures < limit) return 0;
      return window.endsAt - now;
    },
    fail(address: string, now = Date.now()): void {
      const window = windows.get(address);
      if (window && window.endsAt > now) {
        window.failures += 1;
        return;
      }
      if (windows.size >= maxAddresses) prune(now);
      windows.set(address, { failures: 1, endsAt: now + windowMs });
    },
    get size() {
      return windows.size;
    },
  };
}
