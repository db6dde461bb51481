// SPDX-License-Identifier: GPL-2.0-only
/**
 * Scenarios as data: ci/scenarios/<name>/scenario.json names a sequence of boots that
 * share one persistent-memory backing file (it keeps what the guest wrote across QEMU
 * processes), with one guest script per boot:
 *
 *   { "description": "...",
 *     "pmem": { "kind": "nvdimm", "sizeMiB": 1024, "node": "own" },   // or { "kind": "memmap", "sizeMiB": 512 }, { "kind": "virtio", "sizeMiB": 256 }
 *     "memMiB": 2048, "cpus": 2, "reuseImage": false, "ktap": false, "kselftests": ["dax"], "ciDefault": true,
 *     "boots": [ { "script": "boot1.sh", "timeoutSec": 60, "pmem": { "node": 0 }, "append": ["memhp_default_state=online"] } ] }
 *
 * The pmem kinds ("share": false gives QEMU a private mapping: nothing persists):
 * - "nvdimm" (default): an ACPI NFIT NVDIMM of sizeMiB, on its own memory-only NUMA node
 *   ("node": "own", the default) or on node 0 with the RAM and the CPUs ("node": 0);
 * - "memmap": legacy `memmap=SIZE!4G` pmem (an e820 region, no NFIT) carved out of
 *   file-backed guest RAM: on node 0 with the RAM and the CPUs ("node": 0, the default,
 *   as `memmap=` is used on most machines), or ("node": "own") the top of the RAM as a
 *   memory-only NUMA node of its own, which the firmware's SRAT reports as it does for
 *   persistent memory on a real platform; the guest's e820 region then has that node as
 *   its target node;
 * - "soft-reserved": the range that "memmap" would carve, on the same nodes, made
 *   soft-reserved memory instead (`memmap=SIZE%4G-1+0xefffffff`, as EFI marks
 *   specific-purpose memory): hmem's dynamic dax region (region0 with dax0.0 over all of
 *   it, or none with dax_hmem.region_idle=1), which `daxctl create-device -s SIZE`
 *   divides. Volatile on a real machine; here its content survives reboots, being the
 *   shared backing file, so that the series' allow_volatile override can be shown;
 * - "virtio": a virtio-pmem-pci device of sizeMiB, backed by the image file as nvdimm
 *   is. The guest sees an nvdimm region with an asynchronous flush (ND_REGION_ASYNC),
 *   which the series must refuse to keep data on. No NUMA layout at all (no "node":
 *   the guest has the single node 0, and the device's memory, placed in QEMU's
 *   hotplug area above the RAM, is reported on it). Without an NFIT it is the guest's
 *   only nvdimm bus: region0 (/sys/bus/nd/devices/region0), its label-less namespace
 *   namespace0.0 (/dev/pmem0), which `ndctl create-namespace -f -e namespace0.0 -m devdax`
 *   turns into dax0.0. The numbers come from global counters in the guest and may
 *   differ (another nvdimm provider, probe order): scripts should find the region by
 *   its bus, whose /sys/bus/nd/devices/ndbusN/provider reads "virtio-pmem", rather than
 *   by number. Needs CONFIG_VIRTIO_PCI and CONFIG_VIRTIO_PMEM in the guest kernel.
 *
 * parseScenario() is pure: it validates and fills defaults, and lists every problem.
 */
import { usageError } from '../errors.js';

export type ScenarioPmem =
  | { kind: 'nvdimm'; sizeMiB: number; node: 'own' | 0; share: boolean }
  | { kind: 'memmap' | 'soft-reserved'; sizeMiB: number; node: 'own' | 0; share: boolean }
  | { kind: 'virtio'; sizeMiB: number; share: boolean };

export interface ScenarioBoot {
  index: number;
  script: string;
  timeoutSec: number;
  pmem: ScenarioPmem | null;
  append: string[];
  /** The script prints KTAP to be judged (kselftests). */
  ktap: boolean;
}

export interface Scenario {
  name: string;
  description: string;
  memMiB: number;
  cpus: number;
  /** Keep the backing file of an earlier run of this scenario instead of a fresh one. */
  reuseImage: boolean;
  /** kselftest TARGETS its scripts use (installed under /kseries/kselftest). */
  kselftests: string[];
  /** Part of `kseries ci`'s default set ("ciDefault": false keeps it out: run it with --scenario NAME). */
  ciDefault: boolean;
  boots: ScenarioBoot[];
}

export const SCENARIO_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const TARGET_RE = /^[A-Za-z0-9][A-Za-z0-9_./-]*$/;
const SCRIPT_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.sh$/;
const DEFAULT_PMEM: ScenarioPmem = { kind: 'nvdimm', sizeMiB: 1024, node: 'own', share: true };

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

function unknownKeys(o: Obj, allowed: string[], where: string, errors: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) errors.push(`${where}: unknown key "${k}" (allowed: ${allowed.join(', ')})`);
}

function parsePmem(x: unknown, base: ScenarioPmem | null, where: string, errors: string[]): ScenarioPmem | null {
  if (x === undefined) return base;
  if (x === null || x === false) return null;
  if (!isObj(x)) {
    errors.push(`${where}: must be an object, or null for no persistent memory`);
    return base;
  }
  unknownKeys(x, ['kind', 'sizeMiB', 'node', 'share'], where, errors);
  const kind = x.kind ?? base?.kind ?? 'nvdimm';
  if (kind !== 'nvdimm' && kind !== 'memmap' && kind !== 'soft-reserved' && kind !== 'virtio') {
    errors.push(`${where}.kind: "nvdimm", "memmap", "soft-reserved" or "virtio" (got ${JSON.stringify(kind)})`);
    return base;
  }
  const sizeMiB = x.sizeMiB ?? base?.sizeMiB ?? 1024;
  if (typeof sizeMiB !== 'number' || !Number.isInteger(sizeMiB) || sizeMiB < 128 || sizeMiB % 128 !== 0) {
    errors.push(`${where}.sizeMiB: a multiple of 128 (got ${JSON.stringify(sizeMiB)})`);
  }
  const share = x.share ?? base?.share ?? true;
  if (typeof share !== 'boolean') errors.push(`${where}.share: true or false`);
  if (kind === 'virtio') {
    if (x.node !== undefined) errors.push(`${where}.node: not for virtio (virtio pmem has no NUMA node of its own)`);
    return { kind, sizeMiB: sizeMiB as number, share: share as boolean };
  }
  const node = x.node ?? (base?.kind === kind ? base.node : kind === 'nvdimm' ? 'own' : 0);
  if (node !== 'own' && node !== 0) errors.push(`${where}.node: "own" (a memory-only NUMA node) or 0 (with the CPUs) (got ${JSON.stringify(node)})`);
  return { kind, sizeMiB: sizeMiB as number, node: node as 'own' | 0, share: share as boolean };
}

function intIn(x: unknown, def: number, min: number, max: number, where: string, errors: string[]): number {
  if (x === undefined) return def;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
    errors.push(`${where}: an integer from ${min} to ${max} (got ${JSON.stringify(x)})`);
    return def;
  }
  return x;
}

/** Validates a scenario.json; `files` are the names present in its directory. */
export function parseScenario(name: string, json: unknown, files: readonly string[]): Scenario {
  const errors: string[] = [];
  if (!SCENARIO_NAME_RE.test(name)) errors.push(`bad scenario name "${name}" (lower-case letters, digits, ".", "_", "-")`);
  if (!isObj(json)) throw usageError(`scenario ${name}: scenario.json must hold an object`);
  unknownKeys(json, ['spdx', 'description', 'pmem', 'memMiB', 'cpus', 'reuseImage', 'ktap', 'kselftests', 'ciDefault', 'boots'], 'scenario', errors);
  const ciDefault = json.ciDefault ?? true;
  if (typeof ciDefault !== 'boolean') errors.push('ciDefault: true or false');
  const kselftests = json.kselftests ?? [];
  if (!Array.isArray(kselftests) || !kselftests.every((t) => typeof t === 'string' && TARGET_RE.test(t))) errors.push('kselftests: a list of kselftest TARGETS ("dax", "memory-hotplug")');
  const pmem = parsePmem(json.pmem, DEFAULT_PMEM, 'pmem', errors);
  const memMiB = intIn(json.memMiB, 2048, 256, 16384, 'memMiB', errors);
  const cpus = intIn(json.cpus, 2, 1, 16, 'cpus', errors);
  const reuseImage = json.reuseImage ?? false;
  if (typeof reuseImage !== 'boolean') errors.push('reuseImage: true or false');
  const ktapAll = json.ktap ?? false;
  if (typeof ktapAll !== 'boolean') errors.push('ktap: true or false');
  if (json.description !== undefined && typeof json.description !== 'string') errors.push('description: a string');
  const boots: ScenarioBoot[] = [];
  if (!Array.isArray(json.boots) || json.boots.length === 0) errors.push('boots: a non-empty list');
  else {
    json.boots.forEach((b, i) => {
      const where = `boots[${i}]`;
      if (!isObj(b)) {
        errors.push(`${where}: must be an object`);
        return;
      }
      unknownKeys(b, ['script', 'timeoutSec', 'pmem', 'append', 'ktap'], where, errors);
      const script = b.script;
      if (typeof script !== 'string' || !SCRIPT_RE.test(script)) errors.push(`${where}.script: a file name ending in .sh in the scenario directory`);
      else if (!files.includes(script)) errors.push(`${where}.script: ${script} is not in the scenario directory`);
      const append = b.append ?? [];
      if (!Array.isArray(append) || !append.every((a) => typeof a === 'string' && a && !/\s/.test(a))) errors.push(`${where}.append: a list of kernel parameters without blanks`);
      const ktap = b.ktap ?? ktapAll;
      if (typeof ktap !== 'boolean') errors.push(`${where}.ktap: true or false`);
      boots.push({
        index: i + 1,
        script: String(script),
        timeoutSec: intIn(b.timeoutSec, 120, 5, 24 * 3600, `${where}.timeoutSec`, errors),
        pmem: parsePmem(b.pmem, pmem, `${where}.pmem`, errors),
        append: Array.isArray(append) ? (append as string[]) : [],
        ktap: ktap === true,
      });
    });
  }
  if (errors.length) {
    throw usageError(`scenario ${name} is invalid:\n  ${errors.join('\n  ')}`, 'Fix ci/scenarios/' + name + '/scenario.json.', { errors });
  }
  return {
    name,
    description: (json.description as string | undefined) ?? '',
    memMiB,
    cpus,
    reuseImage: reuseImage as boolean,
    kselftests: Array.isArray(kselftests) ? (kselftests as string[]) : [],
    ciDefault: ciDefault as boolean,
    boots,
  };
}
