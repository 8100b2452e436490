/** Retries `fn` until it stops throwing (or returns a truthy value), or the time is up (45 s unless told: a consumer group may take a while to join a loaded broker). */
export async function eventually<T>(fn: () => Promise<T> | T, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 45000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = new Error('condition not met');
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${opts.what ?? 'condition'} not met in time: ${(last as Error)?.message}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
