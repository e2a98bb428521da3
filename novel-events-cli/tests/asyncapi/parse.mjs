// Parses an AsyncAPI document with the official parser (@asyncapi/parser, installed in
// scripts/interop/node_modules by `bash scripts/interop.sh`) and prints, as one JSON object:
// - `diagnostics`: every diagnostic of the parser (severity 0 error, 1 warning, 2 info, 3 hint),
//   each with its code, message, path and severity;
// - `loaded`: the document as the parser's YAML reader (@stoplight/yaml, which reads JSON too)
//   loads it, so that a test can compare the YAML and JSON forms of one document.
// Usage: node parse.mjs FILE. Exits 2 when the tools are missing or FILE cannot be read.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const modules = fileURLToPath(new URL('../../../scripts/interop/node_modules/', import.meta.url));
const require = createRequire(modules);

let Parser, yaml;
try {
  ({ Parser } = require('@asyncapi/parser'));
  yaml = require('@stoplight/yaml');
} catch (error) {
  console.error(`the official AsyncAPI parser is not installed in ${modules} (${error.message}): run \`bash scripts/interop.sh\``);
  process.exit(2);
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node parse.mjs FILE');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const parser = new Parser();
const { diagnostics } = await parser.parse(text, { source: resolve(file) });
const report = {
  diagnostics: diagnostics.map(({ code, message, path, severity }) => ({ code, message, path, severity })),
  loaded: yaml.parse(text),
};
process.stdout.write(JSON.stringify(report) + '\n');
