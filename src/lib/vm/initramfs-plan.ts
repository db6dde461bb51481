// SPDX-License-Identifier: GPL-2.0-only
/**
 * What goes into the test initramfs, as a pure function of resolved inputs: static
 * busybox with a link per applet, ndctl/daxctl/bash/coreutils timeout with their shared
 * libraries and the loader, the modules.* files (daxctl reads modules.builtin* through
 * libkmod, modprobe reads modules.dep) and the modules themselves (kernel/**.ko), the
 * console and null device nodes, the kselftests, the scenario scripts with their shared
 * helpers (scenario-lib.ts) and /init.
 */
import { posix } from 'node:path';
import type { CpioEntry } from './cpio-list.js';
import type { LddLibrary } from './ldd.js';
import { SCENARIO_LIB } from './scenario-lib.js';

/** A file of the image: copied from the host, or generated (content). */
export type PlanEntry = Exclude<CpioEntry, { type: 'file' }> | { type: 'file'; path: string; mode: number; src: string } | { type: 'file'; path: string; mode: number; content: string };

export interface HostFile {
  /** Path relative to the tree's root ("memory-hotplug/mem-on-off-test.sh"). */
  rel: string;
  src: string;
  mode: number;
  /** Set for symbolic links: the link's target. */
  link?: string;
}

export interface InitramfsInputs {
  busybox: string;
  /** `busybox --list-full` lines: "bin/sh", "usr/bin/timeout", … */
  applets: string[];
  /** Dynamic binaries and where they go ("/usr/bin/ndctl"); they win over busybox applets of the same path. */
  binaries: Array<{ src: string; path: string }>;
  libraries: LddLibrary[];
  /** <INSTALL_MOD_PATH>/lib/modules/<release>: its modules.* files, or null. */
  modules: { release: string; files: HostFile[] } | null;
  kselftests: HostFile[] | null;
  scenarios: Array<{ name: string; files: HostFile[] }>;
  init: string;
}

export const GUEST = {
  kselftestDir: '/kseries/kselftest',
  scenarioDir: (name: string) => `/kseries/scenarios/${name}`,
  /** The scenarios' shared shell helpers (scenario-lib.ts). */
  scenarioLib: '/kseries/lib/ktap.sh',
} as const;

function tree(root: string, files: HostFile[], exec: (f: HostFile) => boolean = () => false): PlanEntry[] {
  return files.map((f) => {
    const path = posix.join(root, f.rel);
    if (f.link !== undefined) return { type: 'slink', path, target: f.link };
    return { type: 'file', path, src: f.src, mode: exec(f) ? f.mode | 0o755 : f.mode & 0o7777 };
  });
}

export function initramfsPlan(i: InitramfsInputs): PlanEntry[] {
  const entries: PlanEntry[] = [];
  for (const d of ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/lib', '/lib64', '/etc', '/proc', '/sys', '/dev', '/tmp', '/run', '/root', '/mnt']) {
    entries.push({ type: 'dir', path: d, mode: d === '/tmp' ? 0o1777 : 0o755 });
  }
  entries.push({ type: 'nod', path: '/dev/console', mode: 0o600, dev: 'c', major: 5, minor: 1 });
  entries.push({ type: 'nod', path: '/dev/null', mode: 0o666, dev: 'c', major: 1, minor: 3 });
  entries.push({ type: 'file', path: '/bin/busybox', src: i.busybox, mode: 0o755 });
  const taken = new Set(i.binaries.map((b) => b.path));
  for (const b of i.binaries) entries.push({ type: 'file', path: b.path, src: b.src, mode: 0o755 });
  for (const a of i.applets) {
    const path = `/${a.replace(/^\/+/, '')}`;
    if (path === '/bin/busybox' || taken.has(path)) continue;
    taken.add(path);
    entries.push({ type: 'slink', path, target: '/bin/busybox' });
  }
  for (const l of i.libraries) entries.push({ type: 'file', path: l.path, src: l.path, mode: 0o755 });
  if (i.modules) {
    const root = `/lib/modules/${i.modules.release}`;
    // not the build and source links into the tree
    entries.push(...tree(root, i.modules.files.filter((f) => f.link === undefined && (/^modules\./.test(f.rel) || /^kernel\/.*\.ko$/.test(f.rel)))));
  }
  if (i.kselftests) entries.push(...tree(GUEST.kselftestDir, i.kselftests));
  for (const s of i.scenarios) entries.push(...tree(GUEST.scenarioDir(s.name), s.files, (f) => /\.sh$/.test(f.rel)));
  if (i.scenarios.length) entries.push({ type: 'file', path: GUEST.scenarioLib, mode: 0o644, content: SCENARIO_LIB });
  entries.push({ type: 'file', path: '/etc/passwd', mode: 0o644, content: 'root:x:0:0:root:/root:/bin/sh\n' });
  entries.push({ type: 'file', path: '/etc/group', mode: 0o644, content: 'root:x:0:\n' });
  entries.push({ type: 'file', path: '/init', mode: 0o755, content: i.init });
  return entries;
}
