import type { UhiAxis } from "../uhi.js";
import type { Axis, AxisOptions } from "./axis.js";
import { Boolean } from "./boolean.js";
import { IntCategory, StrCategory } from "./category.js";
import { Integer } from "./integer.js";
import { Regular } from "./regular.js";
import { Variable } from "./variable.js";

/** Rebuilds an axis from its UHI dict, honouring boost-histogram's writer_info (growth, Integer). */
export function axisFromUHI(dict: UhiAxis): Axis {
  const info = dict.writer_info?.["boost-histogram"] ?? {};
  const meta = dict.metadata ?? {};
  const opts: AxisOptions = {
    name: typeof meta.name === "string" ? meta.name : "",
    label: typeof meta.label === "string" ? meta.label : "",
    growth: info.growth === true,
  };
  switch (dict.type) {
    case "regular": {
      const flow = { underflow: dict.underflow, overflow: dict.overflow, circular: dict.circular };
      if (info.orig_type === "Integer") return new Integer(dict.lower, dict.upper, { ...opts, ...flow });
      return new Regular(dict.bins, dict.lower, dict.upper, { ...opts, ...flow });
    }
    case "variable":
      return new Variable(dict.edges, { ...opts, underflow: dict.underflow, overflow: dict.overflow, circular: dict.circular });
    case "category_str":
      return new StrCategory(dict.categories, { ...opts, overflow: dict.flow });
    case "category_int":
      return new IntCategory(dict.categories, { ...opts, overflow: dict.flow });
    case "boolean":
      return new Boolean(opts);
    default:
      throw new TypeError(`unknown UHI axis type ${JSON.stringify((dict as { type: unknown }).type)}`);
  }
}
