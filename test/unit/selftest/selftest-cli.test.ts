// SPDX-License-Identifier: GPL-2.0-only
/** `kseries selftest` through the built CLI, without booting anything: --dry-run, usage and infrastructure errors. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolate, runCli, type IsolatedEnv } from '../../helpers/env.js';

const ROOT = new URL('../../..', import.meta.url).pathname;
let env: IsolatedEnv;
let build: string;
beforeEach(() => {
  env = isolate();
  const src = join(env.root, 'src');
  build = join(env.root, 'build');
  mkdirSync(src);
  mkdirSync(join(build, 'include', 'config'), { recursive: true });
  writeFileSync(join(build, 'include', 'config', 'kernel.release'), '6.1.192\n');
  mkdirSync(env.paths.data, { recursive: true });
  const tree = { name: 'k', kind: 'imported', repo: src, source: 'x', ref: 'v6.1.192', commit: 'c', kernel: { version: 6, patchlevel: 1, sublevel: 192, extraversion: '', string: '6.1.192' }, tags: [], addedAt: '2024-01-01T00:00:00Z' };
  writeFileSync(join(env.paths.data, 'trees.json'), JSON.stringify({ version: 1, trees: { k: tree } }));
});
afterEach(() => env.cleanup());

describe('kseries selftest (CLI)', () => {
  it('--dry-run --json prints the plan: the QEMU lines and the make lines, nothing runs', () => {
    const r = runCli(['selftest', '--tree', 'k', '--build-dir', build, '--kselftests', 'memory-hotplug', '--scenario', 'pmem-persistence', '--dry-run', '--json', '--results', join(env.root, 'res')]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('ok');
    expect(j.result.plan.scenarios.map((s: { name: string }) => s.name)).toEqual(['pmem-persistence', 'kselftest']);
    expect(j.result.commands.prepare[0]).toMatch(/make -C \S+src O=(\S+build) INSTALL_MOD_PATH=\1\/kseries-guest\/modules modules_install/);
    expect(j.result.commands.boots[0].command).toMatch(/-device nvdimm,id=nvdimm0,memdev=nvmem0,node=1 .*panic=-1/);
    expect(j.result.plan.scenarios[0].image).toContain(join(env.paths.cache, 'vm'));
  });

  it('--dry-run prints the QEMU line of a virtio-pmem scenario: the image as its memory backend, maxmem for the device', () => {
    const dir = join(env.root, 'scenarios', 'vp');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'scenario.json'), JSON.stringify({ pmem: { kind: 'virtio', sizeMiB: 256, share: false }, memMiB: 1024, boots: [{ script: 'a.sh' }, { script: 'a.sh' }] }));
    writeFileSync(join(dir, 'a.sh'), '#!/bin/sh\n');
    const r = runCli(['selftest', '--tree', 'k', '--build-dir', build, '--scenario', dir, '--dry-run', '--results', join(env.root, 'res')]);
    expect(r.code).toBe(0);
    const image = r.stdout.match(/^# scenario vp: backing file (\S+\/vp\.img) \(256 MiB, sparse, fresh\)$/m)?.[1];
    expect(image).toContain(join(env.paths.cache, 'vm'));
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('qemu-system-x86_64 '));
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l).toContain(
        ` -machine pc -m 1024M,slots=2,maxmem=1536M -object memory-backend-file,id=vpmem0,share=off,mem-path=${image},size=256M -device virtio-pmem-pci,memdev=vpmem0,id=vpmem0 -smp 2 `,
      );
      expect(l).not.toMatch(/-numa|nvdimm/);
    }
  });

  it('builds the kselftest targets a scenario declares', () => {
    // ci/scenarios/kmem-persist-suite/scenario.json declares "kselftests": ["dax"]
    const declared = JSON.parse(readFileSync(join(ROOT, 'ci', 'scenarios', 'kmem-persist-suite', 'scenario.json'), 'utf8')).kselftests;
    expect(declared).toEqual(['dax']);
    const res = join(env.root, 'res');
    const src = join(env.root, 'src');
    const r = runCli(['selftest', '--tree', 'k', '--build-dir', build, '--scenario', 'kmem-persist-suite', '--dry-run', '--json', '--results', res]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.result.plan.kselftestDir).toBe(join(build, 'kseries-guest', 'kselftest', 'dax'));
    expect(j.result.commands.prepare).toEqual([
      `make -C ${src} O=${build} INSTALL_MOD_PATH=${build}/kseries-guest/modules modules_install`,
      // the kselftests compile against the tree's uapi headers, installed in the build dir
      `make -C ${src} O=${build} headers`,
      `make -C ${src}/tools/testing/selftests -j2 O=${build}/kseries-guest/kselftest/build 'KHDR_INCLUDES=-isystem ${build}/usr/include' TARGETS=dax FORCE_TARGETS=1 INSTALL_PATH=${build}/kseries-guest/kselftest/dax install`,
    ]);
  });

  it('a scenario that declares no kselftest builds none', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'ci', 'scenarios', 'pmem-persistence', 'scenario.json'), 'utf8')).kselftests).toBeUndefined();
    const res = join(env.root, 'res');
    const r = runCli(['selftest', '--tree', 'k', '--build-dir', build, '--scenario', 'pmem-persistence', '--dry-run', '--json', '--results', res]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.result.plan.kselftestDir).toBeNull();
    expect(j.result.commands.prepare).toEqual([`make -C ${join(env.root, 'src')} O=${build} INSTALL_MOD_PATH=${build}/kseries-guest/modules modules_install`]);
  });

  it.each([
    [['--tree', 'nope'], /nope/],
    [['--tree', 'k', '--scenario', 'no-such'], /unknown scenario "no-such"/],
    [['--tree', 'k', '--kselftests', 'a;b'], /bad kselftest target/],
    [['--tree', 'k', '--accel', 'hvf'], /accel/],
  ])('usage error (exit 2): %j', (args, re) => {
    const r = runCli(['selftest', ...args, '--dry-run']);
    expect(r.stderr).toMatch(re);
    expect(r.code).toBe(2);
  });

  it('a missing kernel is an infrastructure error (exit 3) with a hint', () => {
    const r = runCli(['selftest', '--tree', 'k', '--build-dir', build, '--scenario', 'pmem-persistence', '--accel', 'tcg', '--results', join(env.root, 'res'), '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error', error: { kind: 'infra', message: expect.stringMatching(/no kernel at/) } });
  });
});
