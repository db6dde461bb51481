// SPDX-License-Identifier: GPL-2.0-only
/** `kseries watch --dry-run` through the built CLI: what a round would run, and nothing runs or is written. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolate, runCli, type IsolatedEnv } from '../../helpers/env.js';

let env: IsolatedEnv;
let build: string;
let src: string;
beforeEach(() => {
  env = isolate();
  src = join(env.root, 'src');
  build = join(env.root, 'build');
  mkdirSync(src);
  mkdirSync(join(build, 'include', 'config'), { recursive: true });
  writeFileSync(join(build, 'include', 'config', 'kernel.release'), '6.1.192\n');
  writeFileSync(join(build, '.config'), 'CONFIG_MODULES=y\n');
  mkdirSync(env.paths.data, { recursive: true });
  const tree = { name: 'k', kind: 'imported', repo: src, source: 'x', ref: 'v6.1.192', commit: 'c', kernel: { version: 6, patchlevel: 1, sublevel: 192, extraversion: '', string: '6.1.192' }, tags: [], addedAt: '2024-01-01T00:00:00Z' };
  writeFileSync(join(env.paths.data, 'trees.json'), JSON.stringify({ version: 1, trees: { k: tree } }));
});
afterEach(() => env.cleanup());

describe('kseries watch --dry-run', () => {
  it('prints the build line and the scenario\'s prepare and QEMU lines of a round; builds, boots and watches nothing', () => {
    const res = join(env.root, 'res');
    const r = runCli(['watch', '--tree', 'k', '--build-dir', build, '--scenario', 'kmem-persist-exclusive', '--accel', 'tcg', '--no-ccache', '-j2', '--results', res, '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('ok');
    expect(j.result.srcDir).toBe(src);
    expect(j.result.build.at(-1)).toBe(`make -C ${src} O=${build} ARCH=x86_64 -j2 bzImage modules`);
    // modules.builtin and the kselftests the scenario declares (dax), made in the build directory once per kernel
    expect(j.result.selftest.prepare[0]).toBe(`make -C ${src} O=${build} INSTALL_MOD_PATH=${build}/kseries-guest/modules modules_install`);
    expect(j.result.selftest.prepare.at(-1)).toContain(`INSTALL_PATH=${build}/kseries-guest/kselftest/dax install`);
    expect(j.result.selftest.boots.map((b: { name: string }) => b.name)).toEqual(['kmem-persist-exclusive:boot1']);
    expect(j.result.selftest.boots[0].command).toMatch(new RegExp(`^qemu-system-x86_64 -accel tcg .*-kernel ${build}/arch/x86/boot/bzImage .*path=${res}/round-1/kmem-persist-exclusive/boot1/console\\.log`));
    expect(existsSync(res)).toBe(false);
    expect(readdirSync(build).sort()).toEqual(['.config', 'include']);
  });

  it('without a scenario: the build only', () => {
    const r = runCli(['watch', '--tree', 'k', '--build-dir', build, '--no-ccache', '-j2', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^# watched: ${src} `, 'm'));
    expect(r.stdout).toContain(`make -C ${src} O=${build} ARCH=x86_64 -j2 bzImage modules`);
    expect(r.stdout).not.toMatch(/qemu-system/);
  });
});
