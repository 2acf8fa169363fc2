// Type-checks synthesized Pulumi programs offline:  node check.js program.yaml [more.yaml ...]
// Each program is converted to TypeScript (convert.js) and all are checked in one `tsc --noEmit` run against the
// pinned @pulumi/* SDKs. Exit 0: every program type-checks; 1: type errors (printed); 2: a program could not be read.
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const { convert, load } = require("./convert");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check.js program.yaml [more.yaml ...]");
  process.exit(2);
}

const here = __dirname;
const outDir = fs.mkdtempSync(path.join(here, "out-"));
try {
  process.exitCode = check(outDir);
} finally {
  if (!process.env.HAINFRA_KEEP_TS) fs.rmSync(outDir, { recursive: true, force: true });
}

function check(outDir) {
  const sources = [];
  for (const file of files) {
    let program;
    try {
      program = convert(load(fs.readFileSync(file, "utf8")));
    } catch (e) {
      console.error(`error: ${file}: ${e.message}`);
      return 2;
    }
    const ts = path.join(outDir, path.basename(file).replace(/\.(ya?ml|json)$/, "") + ".ts");
    fs.writeFileSync(ts, program);
    sources.push(path.basename(ts));
  }
  fs.writeFileSync(path.join(outDir, "tsconfig.json"), JSON.stringify({ extends: "../tsconfig.json", files: sources }, null, 2));
  const started = Date.now();
  try {
    execFileSync(process.execPath, [path.join(here, "node_modules", "typescript", "bin", "tsc"), "-p", outDir], { stdio: "pipe", encoding: "utf8" });
  } catch (e) {
    process.stdout.write(String(e.stdout || "").replaceAll(outDir + path.sep, "").replaceAll(path.basename(outDir) + "/", ""));
    console.error(`tsc found type errors in ${sources.join(", ")} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return 1;
  }
  console.log(`ok: ${sources.join(", ")} type-check against the pinned provider SDKs (tsc ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}
