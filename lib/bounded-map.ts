// Caches and per-key counters across Kinetic and its simulator keep a Map bounded by dropping its
// oldest entries. A Map iterates in insertion order, so setting a key anew (delete, then set)
// makes the first key the least recently set: the one to drop.

/** Sets `key` to `value` as the newest entry, then drops the oldest until at most `limit` remain. */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= limit) break;
    map.delete(oldest);
  }
}
