/** The committed src/codec/gen/descriptor.ts must be exactly what proto/generate.mjs produces from proto/. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildDescriptor, generateDescriptorSource, listProtoFiles } from "../../../proto/descriptor.mjs";

const committedPath = fileURLToPath(new URL("../../../src/codec/gen/descriptor.ts", import.meta.url));

describe("generated descriptor", () => {
  it("is up to date with proto/ (run `npm run proto` if this fails)", () => {
    expect(readFileSync(committedPath, "utf8")).toBe(generateDescriptorSource());
  });

  it("loads every .proto file, in a stable order", () => {
    const files = listProtoFiles();
    expect(files).toContain("cosmos/tx/v1beta1/tx.proto");
    expect(files).toContain("google/protobuf/any.proto");
    expect(files).toContain("vanna/types/v1/block.proto");
    expect([...files].sort()).toEqual(files);
  });

  it("does not depend on file order and fails on unresolved types", () => {
    const a = { name: "a.proto", source: 'syntax = "proto3"; package t; message A { B b = 1; }' };
    const b = { name: "b.proto", source: 'syntax = "proto3"; package t; message B { int64 x = 1; }' };
    expect(JSON.stringify(buildDescriptor([a, b]))).toBe(JSON.stringify(buildDescriptor([b, a])));
    expect(() => buildDescriptor([a])).toThrow();
  });
});
