import type { AxisValue } from "../axis/index.js";

// UHI locators and actions, as boost-histogram's `bh.loc`, `bh.rebin`, `sum`, `bh.underflow`.

/** The bin holding a value (or a category label), shifted by `offset` bins. */
export class Loc {
  constructor(readonly value: AxisValue, readonly offset = 0) {}
}
export function loc(value: AxisValue, offset = 0): Loc {
  return new Loc(value, offset);
}

/** A flow bin as a locator: `underflow` is index -1, `overflow` index `size`. */
export class FlowLoc {
  constructor(readonly which: "underflow" | "overflow", readonly offset = 0) {}
  plus(n: number): FlowLoc {
    return new FlowLoc(this.which, this.offset + n);
  }
}
export const underflow = new FlowLoc("underflow");
export const overflow = new FlowLoc("overflow");

/** Merge every `factor` neighbouring bins. */
export class Rebin {
  constructor(readonly factor: number) {
    if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`rebin factor must be a positive integer, got ${factor}`);
  }
}
export function rebin(factor: number): Rebin {
  return new Rebin(factor);
}

/** Sum an axis out (flow bins included), or sum a range of it: `[a, b, sum]`. */
export const sum: unique symbol = Symbol.for("zhist.sum");

/** Pick bins of a category axis, by label, locator or index, in the given order. */
export class Pick {
  readonly items: (AxisValue | Loc)[];
  constructor(items: Iterable<AxisValue | Loc>) {
    this.items = [...items];
  }
}
export function pick(...items: (AxisValue | Loc)[]): Pick {
  return new Pick(items);
}

export type Locator = number | Loc | FlowLoc;
/** One bin: removes the axis. Strings and booleans select category / boolean bins by value. */
export type BinSelection = Locator | string | boolean;
export type RangeSelection = [start?: Locator | null, stop?: Locator | null, action?: Rebin | typeof sum];
export type AxisSelection = BinSelection | RangeSelection | Rebin | typeof sum | Pick | string[];
export type Selection = Record<string, AxisSelection | undefined> | (AxisSelection | undefined)[];
