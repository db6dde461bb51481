// SPDX-License-Identifier: GPL-2.0-only
/**
 * The registry of named kernel trees: one JSON file in the state directory, written
 * atomically (temp file + rename), so that an interrupted command never leaves a
 * half-registered tree.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { usageError, infraError } from '../errors.js';
import { registryFile, type StatePaths } from '../paths.js';

export type TreeKind = 'imported' | 'git' | 'clone';

export interface KernelVersion {
  version: number;
  patchlevel: number;
  sublevel: number;
  extraversion: string;
  /** "6.1.192" */
  string: string;
}

export interface TreeRecord {
  name: string;
  kind: TreeKind;
  /** The git repository: ours for imported/clone, the user's for git (never modified there except our own refs). */
  repo: string;
  /** What the user asked for: a path, URL, tarball or debian:X. */
  source: string;
  /** The ref the tree stands for (a tag, branch or commit). */
  ref: string;
  /** The commit `ref` resolved to when the tree was added. */
  commit: string;
  kernel: KernelVersion;
  /** Debian package version when the source was a Debian package. */
  debianVersion?: string;
  /** Tags kseries created (imports only). */
  tags: string[];
  addedAt: string;
}

interface RegistryFile {
  version: 1;
  trees: Record<string, TreeRecord>;
}

export const TREE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function validateTreeName(name: string): void {
  if (!TREE_NAME_RE.test(name)) {
    throw usageError(`invalid tree name "${name}"`, 'Use letters, digits, ".", "_" and "-" (at most 64 characters), starting with a letter or digit.');
  }
}

export class Registry {
  constructor(private readonly paths: StatePaths) {}

  private load(): RegistryFile {
    const f = registryFile(this.paths);
    if (!existsSync(f)) return { version: 1, trees: {} };
    try {
      const data = JSON.parse(readFileSync(f, 'utf8')) as RegistryFile;
      if (data.version !== 1 || typeof data.trees !== 'object') throw new Error('unknown format');
      return data;
    } catch (err) {
      throw infraError(`the tree registry ${f} is unreadable: ${(err as Error).message}`, 'Fix or remove the file; kseries never edits kernel trees it did not import.');
    }
  }

  private save(data: RegistryFile): void {
    const f = registryFile(this.paths);
    mkdirSync(dirname(f), { recursive: true });
    writeFileAtomic(f, `${JSON.stringify(data, null, 2)}\n`);
  }

  list(): TreeRecord[] {
    return Object.values(this.load().trees).sort((a, b) => a.name.localeCompare(b.name));
  }

  find(name: string): TreeRecord | undefined {
    return this.load().trees[name];
  }

  get(name: string): TreeRecord {
    const t = this.find(name);
    if (!t) {
      const known = this.list().map((x) => x.name);
      throw usageError(
        `unknown tree "${name}"`,
        known.length ? `Registered trees: ${known.join(', ')}.` : 'No trees are registered yet: kseries tree add NAME --source debian:6.1',
      );
    }
    return t;
  }

  add(rec: TreeRecord): void {
    const data = this.load();
    if (data.trees[rec.name]) throw usageError(`a tree named "${rec.name}" already exists`, `Pick another name or run: kseries tree remove ${rec.name}`);
    data.trees[rec.name] = rec;
    this.save(data);
  }

  remove(name: string): TreeRecord {
    const data = this.load();
    const t = data.trees[name];
    if (!t) this.get(name);
    delete data.trees[name];
    this.save(data);
    return t;
  }
}
