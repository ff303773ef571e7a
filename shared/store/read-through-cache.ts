/**
 * Wraps a lookup so each key is read at most once per `ttlMs` in this process: configuration such as
 * sources and keys changes rarely, and a burst of leads should not read it once per lead.
 */
export function readThroughCache<T>(
  lookup: (key: string) => Promise<T>,
  ttlMs: number,
  options: { cacheUndefined?: boolean } = {},
): (key: string) => Promise<T> {
  const entries = new Map<string, { value: Promise<T>; until: number }>();
  return (key) => {
    const hit = entries.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    if (entries.size > 10_000) entries.clear();
    const value = lookup(key);
    entries.set(key, { value, until: Date.now() + ttlMs });
    // A failed read is not remembered.
    const forget = () => {
      if (entries.get(key)?.value === value) entries.delete(key);
    };
    value.then((v) => {
      if (v === undefined && options.cacheUndefined === false) forget();
    }, forget);
    return value;
  };
}

/**
 * A `readThroughCache` for each table a lookup is made against: the same cached reads whichever
 * handler module asks, without one table's answers serving another.
 */
export function readThroughCachePerTable<Table extends object, T>(
  lookup: (table: Table, key: string) => Promise<T>,
  ttlMs: number,
  options: { cacheUndefined?: boolean } = {},
): (table: Table, key: string) => Promise<T> {
  const caches = new WeakMap<Table, (key: string) => Promise<T>>();
  return (table, key) => {
    let cached = caches.get(table);
    if (!cached) {
      cached = readThroughCache((k) => lookup(table, k), ttlMs, options);
      caches.set(table, cached);
    }
    return cached(key);
  };
}
