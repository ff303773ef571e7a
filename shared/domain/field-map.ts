/**
 * A map keyed by names a sender chose (form fields, answers, question labels). It has no prototype, so a
 * field named `constructor`, `toString` or `__proto__` is an ordinary entry: assigning `__proto__` on a
 * plain object would silently drop the field (or replace the prototype), and reading `constructor` would
 * find Object's own function instead of nothing.
 */
export function fieldMap<T = string>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const map = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) map[storableName(key)] = value;
  return map;
}

/**
 * The name a field is stored under. Only `__proto__` changes (to `_proto_`): DynamoDB's marshaller, and
 * every consumer that copies a map into a plain object, would take it for the prototype and lose it (or
 * send DynamoDB an empty attribute value, a 500 on every retry).
 */
export function storableName(name: string): string {
  return name === '__proto__' ? '_proto_' : name;
}
