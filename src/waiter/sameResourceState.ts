/**
 * @internal `true` when two reads of a resource show the same state: the same `Status` and the same
 * `LastUpdatedAt` (which the service moves on every change). A wait keeps the object it already holds
 * then, so that the new one dies young: a wait keeps its last resource across a sleep of seconds, long
 * enough for the garbage collector to move it to the old generation, and 10,000 waits replacing an
 * unchanged resource on every poll left megabytes of old-generation garbage between full collections.
 */
export function sameResourceState(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  const x = a as { readonly Status?: unknown; readonly LastUpdatedAt?: unknown };
  const y = b as { readonly Status?: unknown; readonly LastUpdatedAt?: unknown };
  return (
    x.Status === y.Status &&
    x.LastUpdatedAt instanceof Date &&
    y.LastUpdatedAt instanceof Date &&
    x.LastUpdatedAt.getTime() === y.LastUpdatedAt.getTime()
  );
}
