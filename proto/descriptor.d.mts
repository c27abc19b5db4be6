// Types for descriptor.mjs (plain ESM so that `npm run proto` needs no build step).
import type { INamespace } from "protobufjs";

export const PROTO_DIR: string;
export function listProtoFiles(dir?: string): string[];
export function buildDescriptor(files: { name: string; source: string }[]): INamespace;
export function renderDescriptorModule(descriptor: INamespace): string;
export function generateDescriptorSource(dir?: string): string;
