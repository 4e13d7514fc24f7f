// The UHI intermediate representation (uhi_schema 1), the one neutral form a histogram
// takes between zhist, its Zarr layout and Python's `hist`. Storage arrays here are
// flat C-order Float64Arrays over the axis extents *including* flow bins.

export type UhiMetadataValue = string | number | boolean;
export type UhiMetadata = Record<string, UhiMetadataValue>;
export type UhiWriterInfo = Record<string, Record<string, UhiMetadataValue>>;

interface UhiAxisCommon {
  metadata?: UhiMetadata;
  writer_info?: UhiWriterInfo;
}

export interface UhiRegularAxis extends UhiAxisCommon {
  type: "regular";
  lower: number;
  upper: number;
  bins: number;
  underflow: boolean;
  overflow: boolean;
  circular: boolean;
}

export interface UhiVariableAxis extends UhiAxisCommon {
  type: "variable";
  edges: number[];
  underflow: boolean;
  overflow: boolean;
  circular: boolean;
}

export interface UhiStrCategoryAxis extends UhiAxisCommon {
  type: "category_str";
  categories: string[];
  flow: boolean;
}

export interface UhiIntCategoryAxis extends UhiAxisCommon {
  type: "category_int";
  categories: number[];
  flow: boolean;
}

export interface UhiBooleanAxis extends UhiAxisCommon {
  type: "boolean";
}

export type UhiAxis = UhiRegularAxis | UhiVariableAxis | UhiStrCategoryAxis | UhiIntCategoryAxis | UhiBooleanAxis;

export type UhiStorageType = "int" | "double" | "weighted" | "mean";

export type UhiStorage =
  | { type: "int" | "double"; values: Float64Array }
  | { type: "weighted"; values: Float64Array; variances: Float64Array }
  | { type: "mean"; counts: Float64Array; values: Float64Array; variances: Float64Array };

export interface UhiHist {
  uhi_schema: 1;
  writer_info?: UhiWriterInfo;
  metadata?: UhiMetadata;
  axes: UhiAxis[];
  storage: UhiStorage;
}

/** Number of bins an axis occupies in a storage array, flow bins included. */
export function uhiAxisExtent(axis: UhiAxis): number {
  switch (axis.type) {
    case "regular":
      return axis.bins + Number(axis.underflow) + Number(axis.overflow);
    case "variable":
      return axis.edges.length - 1 + Number(axis.underflow) + Number(axis.overflow);
    case "category_str":
    case "category_int":
      return axis.categories.length + Number(axis.flow);
    case "boolean":
      return 2;
  }
}

/** The storage fields a storage type keeps, in the order they are written. */
export function uhiStorageFields(type: UhiStorageType): string[] {
  switch (type) {
    case "int":
    case "double":
      return ["values"];
    case "weighted":
      return ["values", "variances"];
    case "mean":
      return ["counts", "values", "variances"];
  }
}
