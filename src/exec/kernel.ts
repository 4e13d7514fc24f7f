// The inner loops of a fill task: which category labels each event passes, and adding weights into
// the per-key temporaries. Everything is sized per batch; nothing is allocated per event (but for
// the first event of each new set of passing labels).

/**
 * The distinct sets of label combinations events pass. Labels of one axis may overlap, so an event
 * passes every combination of its passing labels, one per axis (a cartesian product). Events passing
 * the same labels fill the same cells of every one of those combinations, so they are filled once,
 * into their set's temporaries, and each set is spread over its combinations when handed over
 * (combosOf): the per-event cost does not grow with the number of overlapping labels.
 */
export class ComboSets {
  /** Per set id, the flat combination indices (C order over the category axes), ascending. */
  readonly combos: Int32Array[] = [];
  private readonly ids = new Map<number | string, number>();
  private readonly labels: number;

  constructor(private readonly sizes: number[]) {
    this.labels = sizes.reduce((a, b) => a + b, 0);
  }

  /**
   * Per event, the id of the set of combinations it passes, or -1 when it passes none (an axis with
   * no passing label). `masks[a][l][e]` is nonzero (and not NaN) when event e passes label l of axis a.
   */
  assign(masks: ArrayLike<number>[][], n: number, out: Int32Array): void {
    if (!masks.length) {
      out.fill(this.idOf(0, []), 0, n);
      return;
    }
    const wide = this.labels > 30;
    const passing: number[][] = masks.map(() => []);
    for (let e = 0; e < n; e++) {
      let key = 0;
      let text = "";
      let empty = false;
      let bit = 0;
      for (let a = 0; a < masks.length; a++) {
        const labels = masks[a];
        let any = false;
        for (let l = 0; l < labels.length; l++, bit++) {
          const v = labels[l][e];
          if (v !== 0 && v === v) {
            any = true;
            if (wide) text += `${bit},`;
            else key |= 1 << bit;
          }
        }
        if (!any) { empty = true; break; }
      }
      if (empty) { out[e] = -1; continue; }
      const k = wide ? text : key;
      const id = this.ids.get(k);
      if (id !== undefined) { out[e] = id; continue; }
      for (let a = 0; a < masks.length; a++) {
        passing[a].length = 0;
        for (let l = 0; l < masks[a].length; l++) { const v = masks[a][l][e]; if (v !== 0 && v === v) passing[a].push(l); }
      }
      out[e] = this.idOf(k, passing);
    }
  }

  private idOf(key: number | string, passing: number[][]): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      let combos = [0];
      passing.forEach((labels, a) => { combos = combos.flatMap((c) => labels.map((l) => c * this.sizes[a] + l)); });
      id = this.combos.push(Int32Array.from(combos).sort()) - 1;
      this.ids.set(key, id);
    }
    return id;
  }
}

export interface FillTarget {
  /** Temporaries by combination set (ComboSets id), all systematics in one; undefined until the set receives an entry. */
  bufs: (Float64Array | undefined)[];
  /** Allocates a set's temporaries (and accounts their bytes). */
  alloc(set: number): Float64Array;
}

/** The bins of one histogram's own axis: one per event (offsets null) or per element of a jagged value; -1 = dropped. */
export interface Bins {
  cells: Float64Array;
  offsets: Int32Array | null;
}

/**
 * Adds, for every event (into its combination set's buffer), every histogram and every slot filled
 * together, the slot's [w, w^2] at the event's bins: slot 0 weighs `w[e]`, slot j `w[e] x factors[j-1][e]`.
 * The row of [w, w^2] pairs is computed once per event and shared by the histograms, and the bin
 * computation is shared by all slots (weight systematics cost only the additions). While filling, a
 * buffer is laid out bin-major, [bin][slot][w, w^2] (`binStride` = 2 x slots), and the slots filled
 * together are adjacent, starting at `first` (2 x the first slot's position).
 */
export function fillSlots(
  targets: FillTarget[], bins: Bins[], sets: Int32Array,
  first: number, binStride: number, w: ArrayLike<number>, factors: ArrayLike<number>[], n: number,
): void {
  const width = 2 * (1 + factors.length);
  const row = new Float64Array(width);
  for (let e = 0; e < n; e++) {
    const set = sets[e];
    if (set < 0) continue;
    const x = w[e];
    row[0] = x;
    row[1] = x * x;
    for (let j = 0; j < factors.length; j++) {
      const y = x * factors[j][e];
      row[2 + 2 * j] = y;
      row[3 + 2 * j] = y * y;
    }
    for (let h = 0; h < targets.length; h++) {
      const { cells, offsets } = bins[h];
      const i0 = offsets ? offsets[e] : e;
      const i1 = offsets ? offsets[e + 1] : e + 1;
      if (i0 === i1) continue;
      const t = targets[h];
      const buf = t.bufs[set] ?? t.alloc(set);
      for (let i = i0; i < i1; i++) {
        const b = cells[i];
        if (b < 0) continue;
        const base = b * binStride + first;
        // Four at a time, then the last pair: width is even ([w, w^2] per slot).
        let q = 0;
        for (; q + 4 <= width; q += 4) {
          buf[base + q] += row[q];
          buf[base + q + 1] += row[q + 1];
          buf[base + q + 2] += row[q + 2];
          buf[base + q + 3] += row[q + 3];
        }
        if (q < width) {
          buf[base + q] += row[q];
          buf[base + q + 1] += row[q + 1];
        }
      }
    }
  }
}

/**
 * The temporaries of each combination: the sum of the buffers of the sets that contain it (sets in id
 * order, so that the additions happen in the same order on every run).
 */
export function combosOf(bufs: (Float64Array | undefined)[], sets: ComboSets): Map<number, Float64Array> {
  const out = new Map<number, Float64Array>();
  bufs.forEach((buf, set) => {
    if (!buf) return;
    for (const c of sets.combos[set]) {
      const acc = out.get(c);
      if (!acc) out.set(c, buf.slice());
      else for (let i = 0; i < acc.length; i++) acc[i] += buf[i];
    }
  });
  return new Map([...out].sort((x, y) => x[0] - y[0]));
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
