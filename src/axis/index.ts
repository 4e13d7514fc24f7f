export type { Axis, AxisKind, AxisOptions, AxisTraits, AxisValue } from "./axis.js";
export { Regular } from "./regular.js";
export { Variable } from "./variable.js";
export { Integer } from "./integer.js";
export { StrCategory, IntCategory, isCategory } from "./category.js";
export { Boolean } from "./boolean.js";
export { axisFromUHI } from "./from-uhi.js";
