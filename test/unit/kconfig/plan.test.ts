// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { describe as describeSpec } from '../../../src/lib/exec/runner.js';
import { execFileSync } from 'node:child_process';
import { debianConfigPath, parseBase, planApply, renderPlan } from '../../../src/lib/kconfig/plan.js';

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
    ['debian', { kind: 'debian', flavour: 'amd64', xz: '' }],
    ['debian-cloud', { kind: 'debian', flavour: 'cloud-amd64', xz: '' }],
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

  it('--base debian: unpacks Debian\'s config of the tree\'s version and turns its modules off, before the merge', () => {
    const xz = debianConfigPath('/usr/src', { version: 6, patchlevel: 12 }, 'amd64');
    expect(xz).toBe('/usr/src/linux-config-6.12/config.amd64_none_amd64.xz');
    const p = planApply({ srcDir: SRC, buildDir: B, arch: 'x86_64', base: { kind: 'debian', flavour: 'amd64', xz }, requestedText: '' });
    expect(renderPlan(p).split('\n').slice(1, 3)).toEqual([
      `sh -c 'xz -dc -- "$1" > "$2"' sh ${xz} ${B}/.config`,
      `sed -i -e 's/^\\(CONFIG_[A-Za-z0-9_]*\\)=m$/# \\1 is not set/' ${B}/.config`,
    ]);
    // the sed expression does what it says
    const sed = p.steps[2].kind === 'run' ? p.steps[2].spec.args[2] : '';
    const out = execFileSync('sed', ['-e', sed], { input: 'CONFIG_A=m\nCONFIG_B=y\nCONFIG_C="m"\n# CONFIG_D is not set\n', encoding: 'utf8' });
    expect(out).toBe('# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_C="m"\n# CONFIG_D is not set\n');
  });

  it('renders a dry run that counts the requested symbols', () => {
    expect(renderPlan(plan).split('\n')[2]).toBe(`# write ${B}/kseries-requested.config (2 symbols)`);
  });
});
