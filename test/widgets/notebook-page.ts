// Driving a notebook page of JupyterLab 4 or Notebook 7 (the same Lumino menus in both) and reading
// the zhist widget as it is drawn: the Vega view on screen, not the model.
import type { Page } from "playwright-core";
import type { JupyterServer } from "./jupyter-server.js";

export type App = "jupyterlab" | "notebook";

// The callbacks of page.waitForFunction/evaluate run in the browser; the root tsconfig has no DOM lib.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

/**
 * Opens a notebook and returns once its kernel is connected: the kernel_info_reply has come over the
 * kernel's websocket (cells "run" before that are not sent, and JupyterLab asks for a kernel instead).
 */
export async function openNotebook(page: Page, server: JupyterServer, app: App, file: string): Promise<void> {
  const route = app === "jupyterlab" ? "lab/tree" : "notebooks";
  const connected = page
    .waitForEvent("websocket", { predicate: (ws) => ws.url().includes("/api/kernels/"), timeout: 90000 })
    .then((ws) => ws.waitForEvent("framereceived", { predicate: (f) => String(f.payload).includes("kernel_info_reply"), timeout: 90000 }));
  await page.goto(`${server.url}/${route}/${encodeURIComponent(file)}?token=${server.token}`);
  await page.waitForSelector(".jp-Notebook .jp-Cell", { timeout: 90000 });
  await connected;
}

/** Run > Run All Cells; throws unless the cells are queued (a prompt shows [*] or a count). */
export async function runAllCells(page: Page): Promise<void> {
  await page.click('.lm-MenuBar-item:has-text("Run")');
  await page.click('.lm-Menu-item[data-command="runmenu:run-all"]:not(.lm-mod-disabled)');
  await page.waitForFunction(() => Array.from(document.querySelectorAll(".jp-CodeCell .jp-InputPrompt")).some((p: any) => /\[[*0-9]/.test(p.textContent ?? "")), undefined, { timeout: 30000 });
}

/** JupyterLab asks whether to fetch news: answered "No" so the toast leaves the screenshots. */
export async function dismissNews(page: Page): Promise<void> {
  const no = page.locator(".jp-toast-button:has-text('No')");
  if (await no.count()) await no.first().click().catch(() => undefined);
}

export interface DrawnWidget {
  /** `answered` of the projection on screen. */
  answered: number;
  /** The model's n_bins as the plot recorded it. */
  nBins: number;
  /** Distinct x bins (their lower edges, or category labels) in the rendered Vega view's data. */
  xBins: number;
  /** Series drawn (the `series` column). */
  series: string[];
  status: string;
}

/** Waits until the widget (the `index`-th on the page) draws the answer to request `answered`, and reads it. */
export async function drawnWidget(page: Page, answered: number, index = 0, timeout = 60000): Promise<DrawnWidget> {
  await page.waitForFunction(
    ([i, a]) => {
      const plot = document.querySelectorAll(".zhist-widget .zhist-plot")[i];
      const status = document.querySelectorAll(".zhist-widget .zhist-status")[i]?.textContent ?? "";
      return plot?.dataset.answered === String(a) && plot.querySelector("svg") && /bins$/.test(status);
    },
    [index, answered] as const,
    { timeout },
  );
  return page.evaluate((i) => {
    const plot = document.querySelectorAll(".zhist-widget .zhist-plot")[i];
    type Rows = Record<string, unknown>[];
    const view = (plot as unknown as { zhistView: { getState(o: object): { data?: object }; data(n: string): Rows } }).zhistView;
    const names = Object.keys(view.getState({ data: () => true, signals: () => false }).data ?? {});
    const rows = names.flatMap((n) => view.data(n) as Rows).filter((r) => r && typeof r === "object");
    // 1-D rows carry the x bin as lo/hi, heatmap cells as xlo/xhi (src/plot).
    const xs = new Set(rows.map((r) => r.lo ?? r.xlo).filter((v) => v !== undefined && v !== null));
    const labels = new Set(rows.filter((r) => !("lo" in r) && "label" in r).map((r) => r.label));
    const series = new Set(rows.filter((r) => typeof r.series === "string").map((r) => r.series as string));
    return {
      answered: Number(plot.dataset.answered),
      nBins: Number(plot.dataset.nBins),
      xBins: xs.size || labels.size,
      series: [...series].sort(),
      status: document.querySelectorAll(".zhist-widget .zhist-status")[i]?.textContent ?? "",
    };
  }, index);
}
