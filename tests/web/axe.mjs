// axe-core over HTML files in jsdom: prints {file: [violations]} as JSON. jsdom lays nothing out, so
// the rules that need a layout (colour contrast) wait for the real browser.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { JSDOM } from "jsdom";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const results = {};
for (const file of process.argv.slice(2)) {
  const dom = new JSDOM(readFileSync(file, "utf8"), { runScripts: "outside-only", pretendToBeVisual: true });
  dom.window.eval(axeSource);
  const report = await dom.window.axe.run(dom.window.document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    rules: { "color-contrast": { enabled: false } },
  });
  results[file] = report.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.html) }));
  dom.window.close();
}
console.log(JSON.stringify(results));
