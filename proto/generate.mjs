// `npm run proto`: regenerates src/codec/gen/descriptor.ts from the .proto files in this folder.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROTO_DIR, generateDescriptorSource } from "./descriptor.mjs";

const target = path.join(PROTO_DIR, "..", "src", "codec", "gen", "descriptor.ts");
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, generateDescriptorSource());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
