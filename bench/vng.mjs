#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * kseries against virtme-ng, on one and the same kernel: how long from "the kernel is built"
 * (and, with --edit, from a saved file) to "the test passed"?
 *
 *   node bench/vng.mjs [--tree k61] [--profile vng] [--runs 3] [--edit drivers/dax/kmem_persist_blk.c]
 *                      [--vng 'virtme-ng']
 *
 * The kernel: the tree's kseries configuration with what virtme-ng needs to boot it merged in
 * (bench/virtme-ng.config: virtio-pci, 9p, virtio-serial, the syscalls the host's udev needs), built once by kseries in its own profile:
 *
 *   kseries kconfig apply -t k61 --persist blk --profile vng -f bench/virtme-ng.config
 *   kseries build -t k61 --profile vng
 *
 * The test: the dax kselftest (tools/testing/selftests/dax/kmem_persist.sh, of the series) on
 * an NVDIMM of 1 GiB on node 0, the scenario kmem-persist-exclusive; a fresh sparse backing
 * file for every run on both sides; 2 vCPUs and 2 GiB, TCG unless KVM works.
 *   kseries    kseries selftest --build-dir O --scenario kmem-persist-exclusive
 *              (its initramfs: busybox, ndctl, the kselftests it installed in O)
 *   virtme-ng  vng --run O --force-9p --disable-microvm --cpus 2 --memory 2048M
 *              --qemu-opts '<the same NVDIMM>' --exec '<the same script>'
 *              (the host's root over 9p, the same kselftest files from O)
 * A run counts only when the test passed (exit 0 and "fail:0" in its KTAP totals).
 * --edit FILE: touch FILE first; kseries side `kseries build` + `kseries selftest`, virtme-ng
 * side the make line kseries prints (same ccache) then vng: the loop of a developer without
 * `kseries watch` (whose rounds are faster, see bench/selftest.mjs).
 * --vng: the command that runs virtme-ng (default `vng`); Debian 12 has no package, the
 * figures in bench/README.md used Debian trixie's virtme-ng 1.35 unpacked, with its bash init.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './lib.mjs';

const { values: o } = parseArgs({
  options: {
    tree: { type: 'string', default: 'k61' },
    profile: { type: 'string', default: 'vng' },
    runs: { type: 'string', default: '3' },
    edit: { type: 'string' },
    vng: { type: 'string', default: 'vng' },
    keep: { type: 'boolean', default: false },
  },
});
const cli = new URL('../bin/run.js', import.meta.url).pathname;
const SCENARIO = 'kmem-persist-exclusive';
const cacheRoot = process.env.KSERIES_CACHE ?? join(process.env.HOME, '.cache', 'kseries');
const buildDir = join(cacheRoot, 'build', o.tree, `x86_64-${o.profile}`);
const bzImage = join(buildDir, 'arch/x86/boot/bzImage');
if (!existsSync(bzImage)) throw new Error(`no kernel at ${bzImage}: see the head of bench/vng.mjs`);
const work = mkdtempSync(join(tmpdir(), 'kseries-bench-vng-'));
const log = (m) => process.stderr.write(`${m}\n`);
const env = { ...process.env, KSERIES_NO_PROGRESS: '1' };

/** Runs argv; returns seconds, and throws unless it passed. */
function timed(what, argv, check = () => true) {
  const t = process.hrtime.bigint();
  // output to a file: virtme-ng opens /proc/self/fd/0-2 by path and refuses node's pipes,
  // which are sockets ("not a valid pts"); stdin /dev/null
  const file = join(work, 'out.txt');
  const fd = openSync(file, 'w');
  const r = spawnSync(argv[0], argv.slice(1), { env, stdio: ['ignore', fd, fd] });
  const secs = Number(process.hrtime.bigint() - t) / 1e9;
  closeSync(fd);
  const out = readFileSync(file, 'utf8');
  if (r.status !== 0 || !check(out)) throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${out.slice(-3000)}`);
  return secs;
}

const kseriesSelftest = (n) => [process.execPath, cli, 'selftest', '--tree', o.tree, '--build-dir', buildDir, '--scenario', SCENARIO, '--results', join(work, `ks-${n}`)];
const kseriesBuild = [process.execPath, cli, 'build', '--tree', o.tree, '--profile', o.profile];
// the guest files kseries made in O (its selftest installs them first): the same script for virtme-ng
timed('kseries selftest (first run: guest files, initramfs)', kseriesSelftest('first'));
const script = join(buildDir, 'kseries-guest/kselftest/dax/dax/kmem_persist.sh');
if (!existsSync(script)) throw new Error(`no ${script} after kseries selftest`);
const vngArgv = (img) => [
  ...o.vng.split(' '),
  '--run',
  buildDir,
  '--force-9p',
  '--disable-microvm',
  '--cpus',
  '2',
  '--memory',
  '2048M',
  // one word: argparse takes a separate value that starts with "-" for an option
  `--qemu-opts=-machine nvdimm=on -m 2048M,slots=2,maxmem=4096M -object memory-backend-file,id=nvmem0,share=on,mem-path=${img},size=1024M -device nvdimm,id=nvdimm0,memdev=nvmem0,node=0`,
  '--exec',
  `ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null && DAX_DEV=dax0.0 /bin/bash ${script}`,
];
const passed = (out) => /fail:0\b/.test(out) && !/not ok/.test(out);
const vngRun = (n) => {
  const img = join(work, `vng-${n}.img`);
  execFileSync('truncate', ['-s', '1G', img]);
  try {
    return timed('virtme-ng', vngArgv(img), passed);
  } finally {
    rmSync(img, { force: true });
  }
};
// the make line kseries would run (same ccache, same O=)
const dry = JSON.parse(execFileSync(kseriesBuild[0], [...kseriesBuild.slice(1), '--dry-run', '--json'], { encoding: 'utf8', env }));
const makeLine = dry.result.commands.join('\n').split('\n').at(-1);
const touch = () => {
  const t = new Date();
  utimesSync(join(dry.result.srcDir, o.edit), t, t);
};

log(`kernel ${bzImage}\nscript ${script}\nvirtme-ng: ${vngArgv('IMG').join(' ')}`);
const rows = { kseries: [], vng: [] };
for (let i = 0; i < Number(o.runs); i++) {
  if (o.edit) {
    touch();
    rows.kseries.push(timed('kseries build', kseriesBuild) + timed('kseries selftest', kseriesSelftest(i)));
    touch();
    rows.vng.push(timed('make', ['sh', '-c', makeLine]) + vngRun(i));
  } else {
    rows.kseries.push(timed('kseries selftest', kseriesSelftest(i)));
    rows.vng.push(vngRun(i));
  }
  log(`run ${i + 1}: kseries ${rows.kseries.at(-1).toFixed(2)} s, virtme-ng ${rows.vng.at(-1).toFixed(2)} s`);
}
const [k, v] = [median(rows.kseries), median(rows.vng)];
const what = o.edit ? `touch ${o.edit.split('/').at(-1)} → built → ${SCENARIO} passed` : `${SCENARIO} on the built kernel`;
console.log(`\n| what | kseries s | virtme-ng s | kseries / virtme-ng |\n| --- | ---: | ---: | ---: |`);
console.log(`| ${what}, median of ${o.runs} | ${k.toFixed(2)} | ${v.toFixed(2)} | ${(k / v).toFixed(3)} |`);
console.log(`\nall runs: ${JSON.stringify(rows)}`);
if (!o.keep) rmSync(work, { recursive: true, force: true });
