// Debian's chromium (apt-get install chromium; .ci/run does it) driven by playwright-core, headless.
import * as fs from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = process.env.ZHIST_CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export function haveChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}
