// Hist.save / Hist.open on the Zarr layout: registered with the hist room, which may not import us.
import * as path from "node:path";
import { registerPersistence } from "../hist/persistence.js";
import { writeHist } from "./layout.js";
import { StoredHist } from "./stored-hist.js";

registerPersistence({
  async save(h, storePath, name) {
    const ir = h.toUHI();
    if (name && ir.metadata?.name === undefined) ir.metadata = { ...(ir.metadata ?? {}), name };
    await writeHist(path.join(storePath, name), "/", ir);
  },
  open: (groupPath) => StoredHist.open(groupPath),
});

export { StoredHist };
