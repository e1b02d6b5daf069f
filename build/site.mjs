// Finishes the site after the Rust builds (the Makefile's `build`), doing what cargo-leptos's
// `build --release --precompress` did, with Node's own crypto and zlib, so no build tool has
// to be compiled from source:
//   1. names the wasm, js and css after a hash of their content (`guantong.<hash>.wasm`), points
//      the js glue at the hashed wasm, and writes `hash.txt` beside the server binary, where
//      Leptos reads the names (`LeptosOptions::hash_files`);
//   2. copies `public/` into the site root;
//   3. writes a brotli (`.br`) and a gzip (`.gz`) copy of every file, which the server sends to
//      clients that accept them.
// Usage: node build/site.mjs <site root> <pkg dir name> <output name> <hash.txt path> <public dir>
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";

const [siteRoot, pkgName, name, hashFile, publicDir] = process.argv.slice(2);
if (!hashFile) {
  console.error("usage: node build/site.mjs <site root> <pkg dir> <output name> <hash.txt> <public dir>");
  process.exit(2);
}
const pkg = path.join(siteRoot, pkgName);

// 1. Hashed names. The glue names its wasm; the wasm is hashed first so the glue's hash covers it.
const hashOf = (file) =>
  createHash("md5").update(fs.readFileSync(file)).digest("base64url");
const rename = (ext, hash) => {
  const from = path.join(pkg, `${name}.${ext}`);
  const to = path.join(pkg, `${name}.${hash}.${ext}`);
  fs.renameSync(from, to);
  return path.basename(to);
};
const wasmHash = hashOf(path.join(pkg, `${name}.wasm`));
const wasmFile = rename("wasm", wasmHash);
const jsPath = path.join(pkg, `${name}.js`);
const glue = fs.readFileSync(jsPath, "utf8").replaceAll(`${name}_bg.wasm`, wasmFile);
fs.writeFileSync(jsPath, glue);
const jsHash = hashOf(jsPath);
rename("js", jsHash);
const cssHash = hashOf(path.join(pkg, `${name}.css`));
rename("css", cssHash);
fs.mkdirSync(path.dirname(hashFile), { recursive: true });
fs.writeFileSync(hashFile, `js: ${jsHash}\nwasm: ${wasmHash}\ncss: ${cssHash}\n`);

// 2. Public files, as they are.
if (publicDir && fs.existsSync(publicDir)) {
  fs.cpSync(publicDir, siteRoot, { recursive: true });
}

// 3. Precompressed copies of every file of the site.
const walk = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
for (const file of walk(siteRoot)) {
  if (file.endsWith(".br") || file.endsWith(".gz")) continue;
  const data = fs.readFileSync(file);
  fs.writeFileSync(
    `${file}.br`,
    zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  );
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
}
console.log(`site ready in ${siteRoot}: ${wasmFile}, ${name}.${jsHash}.js, ${name}.${cssHash}.css`);
