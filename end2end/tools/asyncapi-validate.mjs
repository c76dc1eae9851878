// Validates AsyncAPI documents with the AsyncAPI initiative's own parser (@asyncapi/parser):
// node end2end/tools/asyncapi-validate.mjs FILE... Exits 1 on any diagnostic of severity error
// or warning, printing them.
import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';

const parser = new Parser();
let failed = false;
for (const file of process.argv.slice(2)) {
  const { document, diagnostics } = await parser.parse(readFileSync(file, 'utf8'), { source: file });
  // 0 = error, 1 = warning (Spectral severities).
  const bad = diagnostics.filter((d) => d.severity <= 1);
  if (!document || bad.length) {
    failed = true;
    for (const d of bad) {
      console.error(`${file}: ${d.severity === 0 ? 'error' : 'warning'} ${d.code}: ${d.message} at ${d.path.join('.')}`);
    }
  } else {
    console.log(`${file}: OK`);
  }
}
process.exit(failed ? 1 : 0);
