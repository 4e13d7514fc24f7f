// Imported by the package entry point: gives Hist its rich display (Symbol.for("Jupyter.display")).
import { registerHistDisplay } from "./display.js";

registerHistDisplay();
