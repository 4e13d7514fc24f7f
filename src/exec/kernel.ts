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
 * Adds, for every event, every passing combination and every slot, the slot's [w, w^2] at the event's
 * bin. `cells` holds one bin per event (offsets null) or per element (offsets of the jagged value).
 * The bin computation is shared by all slots (weight systematics cost only the additions). While
 * filling, a buffer is laid out bin-major, [bin][slot][w, w^2] (`binStride` = 2 x slots), and the
 * slots filled together are adjacent, starting at `first` (2 x the first slot's position): one entry
 * adds a contiguous run of `pairs` [w, w^2] values, `sw[e * 2 * pairs ..]`, prepared per event.
 */
export function fillSlots(
  t: FillTarget, cells: Float64Array, offsets: Int32Array | null, combos: Combos,
  first: number, pairs: number, binStride: number, sw: Float64Array, n: number,
): void {
  const { bufs } = t;
  const { off, list } = combos;
  const width = 2 * pairs;
  for (let e = 0; e < n; e++) {
    const c0 = off[e];
    const c1 = off[e + 1];
    if (c0 === c1) continue;
    const i0 = offsets ? offsets[e] : e;
    const i1 = offsets ? offsets[e + 1] : e + 1;
    const wb = e * width;
    for (let k = c0; k < c1; k++) {
      const combo = list[k];
      const buf = bufs[combo] ?? t.alloc(combo);
      for (let i = i0; i < i1; i++) {
        const b = cells[i];
        if (b < 0) continue;
        const base = b * binStride + first;
        for (let q = 0; q < width; q++) buf[base + q] += sw[wb + q];
      }
    }
  }
}

/** [w, w^2] per event and slot: slot 0 is `w`, slot j is `w x factors[j - 1]`. */
export function slotWeights(w: ArrayLike<number>, factors: ArrayLike<number>[], n: number): Float64Array {
  const pairs = 1 + factors.length;
  const width = 2 * pairs;
  const out = new Float64Array(n * width);
  const w64 = w instanceof Float64Array ? w : Float64Array.from(w);
  for (let e = 0; e < n; e++) {
    const x = w64[e];
    out[e * width] = x;
    out[e * width + 1] = x * x;
  }
  for (let j = 1; j < pairs; j++) {
    const f = factors[j - 1];
    const f64 = f instanceof Float64Array ? f : Float64Array.from(f);
    for (let e = 0; e < n; e++) {
      const x = w64[e] * f64[e];
      out[e * width + 2 * j] = x;
      out[e * width + 2 * j + 1] = x * x;
    }
  }
  return out;
}

/**
 * [bin][slot][2] (filling order) to [systematic][bin][2] (the histogram's order); `systematicOf[p]` is
 * the systematic index of the slot at position p.
 */
export function systematicMajor(buf: Float64Array, systematicOf: Int32Array, nsys: number, extent: number): Float64Array {
  const out = new Float64Array(2 * nsys * extent);
  const np = systematicOf.length;
  for (let b = 0; b < extent; b++) {
    for (let p = 0; p < np; p++) {
      const from = (b * np + p) * 2;
      const to = (systematicOf[p] * extent + b) * 2;
      out[to] = buf[from];
      out[to + 1] = buf[from + 1];
    }
  }
  return out;
}
