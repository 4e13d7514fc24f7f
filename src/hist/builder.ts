import { type Axis, type AxisOptions, Boolean, IntCategory, Integer, Regular, StrCategory, Variable } from "../axis/index.js";
import type { StorageKind } from "../storage/index.js";

type Opts = AxisOptions | string;
/** A label may stand alone, as in the magics: `Reg(25, 50, 550, "H_T [GeV]")`. */
const opts = (o?: Opts): AxisOptions => (typeof o === "string" ? { label: o } : o ?? {});

/** hist's fluent builder: axes in order, then the storage makes the histogram. */
export class HistBuilder<H = unknown> {
  private readonly axes: Axis[] = [];

  constructor(private readonly make: (axes: Axis[], kind: StorageKind) => H) {}

  Reg(bins: number, start: number, stop: number, o?: Opts): this { return this.push(new Regular(bins, start, stop, opts(o))); }
  Regular(bins: number, start: number, stop: number, o?: Opts): this { return this.Reg(bins, start, stop, o); }
  Var(edges: ArrayLike<number>, o?: Opts): this { return this.push(new Variable(edges, opts(o))); }
  Variable(edges: ArrayLike<number>, o?: Opts): this { return this.Var(edges, o); }
  Int(start: number, stop: number, o?: Opts): this { return this.push(new Integer(start, stop, opts(o))); }
  Integer(start: number, stop: number, o?: Opts): this { return this.Int(start, stop, o); }
  StrCat(labels: Iterable<string>, o?: Opts): this { return this.push(new StrCategory(labels, opts(o))); }
  IntCat(labels: Iterable<number>, o?: Opts): this { return this.push(new IntCategory(labels, opts(o))); }
  Bool(o?: Pick<AxisOptions, "name" | "label"> | string): this { return this.push(new Boolean(opts(o))); }
  Boolean(o?: Pick<AxisOptions, "name" | "label"> | string): this { return this.Bool(o); }
  /** Any axis object. */
  axis(a: Axis): this { return this.push(a); }

  Double(): H { return this.make(this.axes, "double"); }
  Int64(): H { return this.make(this.axes, "int64"); }
  Weight(): H { return this.make(this.axes, "weight"); }
  Mean(): H { return this.make(this.axes, "mean"); }

  private push(a: Axis): this {
    this.axes.push(a);
    return this;
  }
}
