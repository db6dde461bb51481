// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { describe as describeSpec } from '../../../src/lib/exec/runner.js';
import { parseBase, planApply, renderPlan } from '../../../src/lib/kconfig/plan.js';

const SRC = '/state/worktrees/k61/base';
const B = '/cache/build/k61/x86_64-default';

describe('parseBase', () => {
  it.each([
    ['tinyconfig', { kind: 'target', target: 'tinyconfig' }],
    ['defconfig', { kind: 'target', target: 'defconfig' }],
    ['x86_64_defconfig', { kind: 'target', target: 'x86_64_defconfig' }],
    ['allnoconfig', { kind: 'target', target: 'allnoconfig' }],
    ['./my.config', { kind: 'file', path: './my.config' }],
    ['/boot/config-6.1.0-13-amd64', { kind: 'file', path: '/boot/config-6.1.0-13-amd64' }],
  ])('%s', (b, want) => expect(parseBase(b)).toEqual(want));
});

describe('planApply', () => {
  const plan = planApply({ srcDir: SRC, buildDir: B, arch: 'x86_64', base: { kind: 'target', target: 'tinyconfig' }, requestedText: 'CONFIG_A=y\n# CONFIG_B is not set\n# comment\n' });

  it('runs make with O= and ARCH=, and merge_config.sh -m from inside the build directory', () => {
    expect(plan.steps.map((s) => (s.kind === 'run' ? describeSpec(s.spec) : `write ${s.path}`))).toEqual([
      `mkdir -p ${B}`,
      `make -C ${SRC} O=${B} ARCH=x86_64 tinyconfig`,
      `write ${B}/kseries-requested.config`,
      `(cd ${B} && sh ${SRC}/scripts/kconfig/merge_config.sh -m -O ${B} ${B}/.config ${B}/kseries-requested.config)`,
      `make -C ${SRC} O=${B} ARCH=x86_64 olddefconfig`,
    ]);
    expect(plan).toMatchObject({ configPath: `${B}/.config`, reportPath: `${B}/kconfig-report.json`, logPath: `${B}/kconfig-apply.log` });
  });

  it('never writes into the source tree', () => {
    for (const s of plan.steps) {
      if (s.kind === 'write') expect(s.path.startsWith(`${B}/`)).toBe(true);
      else {
        expect(s.spec.cwd === undefined || s.spec.cwd === B).toBe(true);
        if (s.spec.cmd === 'make') expect(s.spec.args).toContain(`O=${B}`);
        expect(s.spec.args).not.toContain('headers');
      }
    }
  });

  it('copies a base file instead of running a make target', () => {
    const p = planApply({ srcDir: SRC, buildDir: B, arch: 'x86_64', base: { kind: 'file', path: '/tmp/base.config' }, requestedText: '' });
    const s = p.steps[1];
    expect(s.kind === 'run' && describeSpec(s.spec)).toBe(`cp -- /tmp/base.config ${B}/.config`);
  });

  it('renders a dry run that counts the requested symbols', () => {
    expect(renderPlan(plan).split('\n')[2]).toBe(`# write ${B}/kseries-requested.config (2 symbols)`);
  });
});
