/**
 * Crash- and power-loss-safe replacement of a small file: write a temp file, fsync it, rename it over the
 * target, fsync the directory. After a crash the target holds either the old or the new content, never a mix;
 * once this returns, the new content survives power loss. CometBFT's tempfile skips the directory fsync, so a
 * power cut can undo the rename there; we do not (reliability matrix, "Implementation notes for TS", F16).
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Suffix of the temp file; a leftover one (crash before the rename) is simply overwritten next time. */
export const TEMP_SUFFIX = ".tmp";

export function writeFileDurably(path: string, data: Uint8Array, mode = 0o600): void {
  const tmpPath = join(dirname(path), `${basename(path)}${TEMP_SUFFIX}`);
  const fd = openSync(tmpPath, "w", mode);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmpPath, path);
  fsyncDirectory(dirname(path));
}

/** Makes entries created, renamed or removed in dir durable (Linux allows fsync on a read-only directory fd). */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
