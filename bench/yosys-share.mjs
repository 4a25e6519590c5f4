// Writes the data directory (`share`) that @yowasp/yosys embeds in its resources-yosys.js into
// a directory, so a plain WASI runtime can preopen it at /share as the JS wrapper does.
// Usage: node bench/yosys-share.mjs PACKAGE_DIR OUT_DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pkg, out] = process.argv.slice(2);
if (!pkg || !out) {
  process.stderr.write('usage: yosys-share.mjs PACKAGE_DIR OUT_DIR\n');
  process.exit(2);
}
const { filesystem } = await import(pathToFileURL(resolve(pkg, 'gen/resources-yosys.js')).href);
let files = 0;
function write(dir, tree) {
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    if (name.includes('/') || name === '..' || name === '.') {
      throw new Error(`unexpected entry name ${name}`);
    }
    const path = join(dir, name);
    if (typeof value === 'string' || value instanceof Uint8Array) {
      writeFileSync(path, value);
      files++;
    } else {
      write(path, value);
    }
  }
}
write(resolve(out, 'share'), filesystem.share);
process.stderr.write(`yosys-share: ${files} files\n`);
