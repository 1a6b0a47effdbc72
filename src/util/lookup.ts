/**
 * `entries` as a table without a prototype: a name from a user or a file ('constructor', '__proto__',
 * 'toString') must find only the table's own entries, never a member of Object.prototype.
 */
export function lookupTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}
