// Preparing a notebook for a run the way papermill does, with its metadata keys and tags: the
// `metadata.papermill` record, the injected-parameters cell (after the cell tagged `parameters`, or
// first; a re-run replaces the earlier one), and the error marker cells (removed before a run, added
// at the top and before the failing cell after one).
import { codeCell, firstTagged, markdownCell, tagsOf, upgrade, type Cell, type JsonObject, type Notebook } from "./notebook.js";
import { codify, inspectParameters, type Parameter } from "./translate.js";

export const PARAMETERS_TAG = "parameters";
export const INJECTED_TAG = "injected-parameters";
export const ERROR_MARKER_TAG = "papermill-error-cell-tag";

const ERROR_STYLE = 'style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;"';
export const errorMessage = (execCount: number | null | undefined) =>
  `<span ${ERROR_STYLE}>An Exception was encountered at '<a href="#papermill-error-cell">In [${execCount ?? "None"}]</a>'.</span>`;
export const ERROR_ANCHOR = `<span id="papermill-error-cell" ${ERROR_STYLE}>Execution using papermill encountered an exception here and stopped:</span>`;

export const papermillCell = (c: Cell): JsonObject => c.metadata.papermill as JsonObject;

/** What papermill's load_notebook_node adds: the notebook's papermill record, tags and papermill per cell. */
export function withPapermillMetadata(nb: Notebook, version: string): Notebook {
  upgrade(nb);
  const pm = nb.metadata.papermill;
  if (!pm || typeof pm !== "object" || Array.isArray(pm)) {
    nb.metadata.papermill = { default_parameters: {}, parameters: {}, environment_variables: {}, version };
  }
  for (const c of nb.cells) {
    if (!Array.isArray(c.metadata.tags)) c.metadata.tags = [];
    if (!c.metadata.papermill || typeof c.metadata.papermill !== "object") c.metadata.papermill = {};
  }
  return nb;
}

/** The parameters the notebook's parameters cell declares (empty when there is none). */
export function declaredParameters(nb: Notebook): Parameter[] {
  const at = firstTagged(nb, PARAMETERS_TAG);
  return at < 0 ? [] : inspectParameters(nb.cells[at].source);
}

export interface Injection {
  /** Names given that the parameters cell does not declare (papermill warns). */
  unknown: string[];
  /** No cell tagged `parameters`: the injected cell went first (papermill warns). */
  noParametersCell: boolean;
}

export function parameterize(nb: Notebook, parameters: JsonObject): Injection {
  const declared = declaredParameters(nb);
  const known = new Set(declared.map((p) => p.name));
  const cell = codeCell(codify(parameters, declared), { tags: [INJECTED_TAG] });
  const paramAt = firstTagged(nb, PARAMETERS_TAG);
  const injectedAt = firstTagged(nb, INJECTED_TAG);
  if (injectedAt >= 0) nb.cells.splice(injectedAt, 1, cell);
  else if (paramAt >= 0) nb.cells.splice(paramAt + 1, 0, cell);
  else nb.cells.unshift(cell);
  (nb.metadata.papermill as JsonObject).parameters = parameters;
  return { unknown: paramAt < 0 ? [] : Object.keys(parameters).filter((p) => !known.has(p)), noParametersCell: paramAt < 0 };
}

export function recordPaths(nb: Notebook, inputPath: string, outputPath: string): void {
  Object.assign(nb.metadata.papermill as JsonObject, { input_path: inputPath, output_path: outputPath });
}

export function removeErrorMarkers(nb: Notebook): void {
  nb.cells = nb.cells.filter((c) => !tagsOf(c).includes(ERROR_MARKER_TAG));
}

export interface CellFailure {
  index: number;
  executionCount: number | null;
  ename: string;
  evalue: string;
  traceback: string[];
}

/** papermill's raise_for_execution_errors: the first error output, or a cell flagged as failed without one. */
export function findFailure(nb: Notebook): CellFailure | undefined {
  for (let index = 0; index < nb.cells.length; index++) {
    const cell = nb.cells[index];
    let sysExit = false;
    for (const o of cell.outputs ?? []) {
      if (o.output_type !== "error") continue;
      if (o.ename === "SystemExit" && (o.evalue === "" || o.evalue === "0")) {
        sysExit = true;
        continue;
      }
      return { index, executionCount: cell.execution_count ?? null, ename: String(o.ename), evalue: String(o.evalue), traceback: (o.traceback as string[]) ?? [] };
    }
    if (!sysExit && (cell.metadata.papermill as JsonObject | undefined)?.exception === true) {
      return { index, executionCount: cell.execution_count ?? null, ename: "CellExecutionError", evalue: "", traceback: [] };
    }
  }
  return undefined;
}

export function insertErrorMarkers(nb: Notebook, failure: CellFailure): void {
  nb.cells.splice(failure.index, 0, markdownCell(ERROR_ANCHOR, { tags: [ERROR_MARKER_TAG] }));
  nb.cells.unshift(markdownCell(errorMessage(failure.executionCount), { tags: [ERROR_MARKER_TAG] }));
}
