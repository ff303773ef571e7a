/**
 * A map keyed by names a sender chose (form fields, answers, question labels). It has no prototype, so a
 * field named `constructor`, `toString` or `__proto__` is an ordinary entry: assigning `__proto__` on a
 * plain object would silently drop the field (or replace the prototype), and reading `constructor` would
 * find Object's own function instead of nothing.
 */
export function fieldMap<T = string>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const map = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) map[key] = value;
  return map;
}
