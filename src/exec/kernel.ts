// The inner loops of a fill task: which category labels each event passes, and adding weights into
// the per-key temporaries. Everything is sized per batch; nothing is allocated per event.

/** Per event, the flat indices of the label combinations it passes (CSR: list[off[e] .. off[e+1])). */
export interface Combos {
  off: Int32Array;
  list: Int32Array;
}

/**
 * Labels of one axis may overlap, so an event passes every combination of its passing labels, one per
 * axis (a cartesian product). `masks[a][l][e]` is nonzero when event e passes label l of axis a.
 */
export function passingCombos(masks: ArrayLike<number>[][], n: number): Combos {
  const off = new Int32Array(n + 1);
  if (!masks.length) {
    const list = new Int32Array(n);
    for (let e = 0; e < n; e++) off[e + 1] = e + 1;
    return { off, list };
  }
  const strides: number[] = [];
  let s = 1;
  for (let a = masks.length - 1; a >= 0; a--) { strides[a] = s; s *= masks[a].length; }
  let cur = new Int32Array(s);
  let next = new Int32Array(s);
  let list = new Int32Array(Math.max(16, n));
  let len = 0;
  for (let e = 0; e < n; e++) {
    let m = 1;
    cur[0] = 0;
    for (let a = 0; a < masks.length && m > 0; a++) {
      const labels = masks[a];
      const st = strides[a];
      let k = 0;
      for (let l = 0; l < labels.length; l++) {
        const v = labels[l][e];
        if (v !== 0 && v === v) for (let i = 0; i < m; i++) next[k++] = cur[i] + l * st;
      }
      const t = cur; cur = next; next = t;
      m = k;
    }
    if (len + m > list.length) {
      const grown = new Int32Array(Math.max(list.length * 2, len + m));
      grown.set(list.subarray(0, len));
      list = grown;
    }
    for (let i = 0; i < m; i++) list[len++] = cur[i];
    off[e + 1] = len;
  }
  return { off, list: list.subarray(0, len) };
}

export interface FillTarget {
  /** Temporaries by label combination, all systematics in one; undefined until the combination receives an entry. */
  bufs: (Float64Array | undefined)[];
  /** Allocates a combination's temporaries (and accounts their bytes). */
  alloc(combo: number): Float64Array;
}

/**
 * Adds, for every event, every passing combination and every slot, the slot's weight at the event's
 * bin. `cells` holds one bin per event (offsets null) or per element (offsets of the jagged value).
 * The bin computation is shared by all slots (weight systematics cost only the additions). While
 * filling, a buffer is laid out bin-major, [bin][systematic][w, w^2], so that the slots of one entry
 * are adjacent in memory (a few cache lines rather than one per slot); `slotOffsets[j]` = 2 x the
 * slot's systematic index, `binStride` = 2 x the number of systematics. The weights of an event's
 * slots are adjacent too: `weights[e * ns + j]`.
 */
export function fillSlots(
  t: FillTarget, cells: Float64Array, offsets: Int32Array | null, combos: Combos,
  slotOffsets: Int32Array, binStride: number, weights: Float64Array, n: number,
): void {
  const { bufs } = t;
  const { off, list } = combos;
  const ns = slotOffsets.length;
  for (let e = 0; e < n; e++) {
    const c0 = off[e];
    const c1 = off[e + 1];
    if (c0 === c1) continue;
    const i0 = offsets ? offsets[e] : e;
    const i1 = offsets ? offsets[e + 1] : e + 1;
    const wb = e * ns;
    for (let k = c0; k < c1; k++) {
      const combo = list[k];
      const buf = bufs[combo] ?? t.alloc(combo);
      for (let i = i0; i < i1; i++) {
        const b = cells[i];
        if (b < 0) continue;
        const base = b * binStride;
        for (let j = 0; j < ns; j++) {
          const o = base + slotOffsets[j];
          const w = weights[wb + j];
          buf[o] += w;
          buf[o + 1] += w * w;
        }
      }
    }
  }
}

/** [bin][systematic][2] (filling order) to [systematic][bin][2] (the histogram's order). */
export function systematicMajor(buf: Float64Array, nsys: number, extent: number): Float64Array {
  const out = new Float64Array(buf.length);
  for (let b = 0; b < extent; b++) {
    for (let s = 0; s < nsys; s++) {
      const from = (b * nsys + s) * 2;
      const to = (s * extent + b) * 2;
      out[to] = buf[from];
      out[to + 1] = buf[from + 1];
    }
  }
  return out;
}
