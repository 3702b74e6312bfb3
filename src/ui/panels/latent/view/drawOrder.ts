/**
 * The order the scatter paints its dots: in 8 interleaved slices, and within a slice by colour key,
 * so one canvas path per (slice, key) keeps painting fast without always painting class 9 over
 * class 0. Pure.
 */

export interface DrawGroup {
  /** The colour key (class label or factor value) of the group's points. */
  key: number;
  /** The group's point indices. */
  order: Int32Array;
}

export function drawGroups(keys: ArrayLike<number>, count: number, slices = 8): DrawGroup[] {
  const groups: DrawGroup[] = [];
  for (let s = 0; s < slices; s++) {
    const byKey = new Map<number, number[]>();
    for (let k = s; k < count; k += slices) {
      const key = keys[k];
      let list = byKey.get(key);
      if (!list) byKey.set(key, (list = []));
      list.push(k);
    }
    for (const [key, list] of [...byKey.entries()].sort((a, b) => a[0] - b[0])) groups.push({ key, order: Int32Array.from(list) });
  }
  return groups;
}
