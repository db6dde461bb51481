// SPDX-License-Identifier: GPL-2.0-only
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandSpec } from '../../../src/lib/exec/runner.js';
import { listTree } from '../../../src/lib/vm/host-files.js';
import { initScript } from '../../../src/lib/vm/init-script.js';
import { buildInitramfs, planHash, stagedEntries } from '../../../src/lib/vm/initramfs.js';
import { GUEST, initramfsPlan, type InitramfsInputs } from '../../../src/lib/vm/initramfs-plan.js';
import { SCENARIO_LIB } from '../../../src/lib/vm/scenario-lib.js';
import { FakeRunner } from '../../helpers/fake-runner.js';

const inputs = (over: Partial<InitramfsInputs> = {}): InitramfsInputs => ({
  busybox: '/usr/bin/busybox',
  applets: ['bin/sh', 'usr/bin/timeout', 'sbin/poweroff', 'bin/busybox'],
  binaries: [
    { src: '/usr/bin/ndctl', path: '/usr/bin/ndctl' },
    { src: '/usr/bin/timeout', path: '/usr/bin/timeout' },
  ],
  libraries: [
    { name: 'libc.so.6', path: '/lib/x86_64-linux-gnu/libc.so.6' },
    { name: '/lib64/ld-linux-x86-64.so.2', path: '/lib64/ld-linux-x86-64.so.2' },
  ],
  modules: {
    release: '6.1.192',
    files: [
      { rel: 'modules.builtin', src: '/m/modules.builtin', mode: 0o644 },
      { rel: 'modules.builtin.bin', src: '/m/modules.builtin.bin', mode: 0o644 },
      { rel: 'build', src: '/m/build', mode: 0o777, link: '/src/tree' },
      { rel: 'kernel/x.ko', src: '/m/kernel/x.ko', mode: 0o644 },
    ],
  },
  kselftests: [{ rel: 'run_kselftest.sh', src: '/ks/run_kselftest.sh', mode: 0o755 }],
  scenarios: [{ name: 'pmem-persistence', files: [{ rel: 'boot1.sh', src: '/sc/boot1.sh', mode: 0o644 }, { rel: 'lib.sh', src: '/sc/lib.sh', mode: 0o644 }] }],
  init: '#!/bin/sh\n',
  ...over,
});

describe('initramfsPlan', () => {
  const plan = initramfsPlan(inputs());
  const at = (p: string) => plan.find((e) => e.path === p);

  it('links every busybox applet, except where a real binary goes', () => {
    expect(at('/bin/sh')).toEqual({ type: 'slink', path: '/bin/sh', target: '/bin/busybox' });
    expect(at('/sbin/poweroff')).toMatchObject({ type: 'slink' });
    expect(at('/usr/bin/timeout')).toEqual({ type: 'file', path: '/usr/bin/timeout', src: '/usr/bin/timeout', mode: 0o755 });
    expect(at('/bin/busybox')).toMatchObject({ type: 'file', src: '/usr/bin/busybox' });
    expect(plan.filter((e) => e.path === '/bin/busybox')).toHaveLength(1);
  });

  it('has the device nodes, the libraries at their ldd paths and /init', () => {
    expect(at('/dev/console')).toMatchObject({ type: 'nod', dev: 'c', major: 5, minor: 1 });
    expect(at('/dev/null')).toMatchObject({ type: 'nod', dev: 'c', major: 1, minor: 3, mode: 0o666 });
    expect(at('/lib64/ld-linux-x86-64.so.2')).toMatchObject({ type: 'file', mode: 0o755 });
    expect(at('/lib/x86_64-linux-gnu/libc.so.6')).toMatchObject({ type: 'file' });
    expect(at('/init')).toMatchObject({ type: 'file', mode: 0o755, content: '#!/bin/sh\n' });
  });

  it('takes the modules.* files and the .ko files of a modules_install (no links into the source): modprobe works in the guest', () => {
    const mods = plan.filter((e) => e.path.startsWith('/lib/modules/') && e.type === 'file').map((e) => e.path);
    expect(mods).toEqual(['/lib/modules/6.1.192/modules.builtin', '/lib/modules/6.1.192/modules.builtin.bin', '/lib/modules/6.1.192/kernel/x.ko']);
    expect(plan.some((e) => e.path === '/lib/modules/6.1.192/build')).toBe(false);
  });

  it('puts kselftests and scenarios under /kseries, scenario .sh files executable', () => {
    expect(at('/kseries/kselftest/run_kselftest.sh')).toMatchObject({ mode: 0o755 });
    expect(at('/kseries/scenarios/pmem-persistence/boot1.sh')).toMatchObject({ mode: 0o755 });
    expect(at('/kseries/scenarios/pmem-persistence/lib.sh')).toMatchObject({ mode: 0o755 });
  });

  it('carries the scenarios\' shared KTAP helpers at /kseries/lib/ktap.sh (with scenarios only)', () => {
    expect(at(GUEST.scenarioLib)).toEqual({ type: 'file', path: '/kseries/lib/ktap.sh', mode: 0o644, content: SCENARIO_LIB });
    expect(initramfsPlan(inputs({ scenarios: [] })).some((e) => e.path === GUEST.scenarioLib)).toBe(false);
  });

  it('without modules and kselftests', () => {
    const p = initramfsPlan(inputs({ modules: null, kselftests: null }));
    expect(p.some((e) => e.path.startsWith('/lib/modules') || e.path.startsWith('/kseries/kselftest'))).toBe(false);
  });
});

describe('planHash', () => {
  const h = (over: Partial<InitramfsInputs> = {}, content = (src: string) => `sha-of-${src}`) => planHash(initramfsPlan(inputs(over)), content);
  it('is stable for the same inputs and changes with any content or entry', () => {
    expect(h()).toBe(h());
    expect(h({ init: '#!/bin/sh\necho\n' })).not.toBe(h());
    expect(h({}, (s) => (s === '/sc/boot1.sh' ? 'changed' : `sha-of-${s}`))).not.toBe(h());
    expect(h({ applets: ['bin/sh'] })).not.toBe(h());
  });
  it('does not depend on where an identical file comes from', () => {
    const a = planHash([{ type: 'file', path: '/x', mode: 0o644, src: '/a' }], () => 'same');
    const b = planHash([{ type: 'file', path: '/x', mode: 0o644, src: '/b' }], () => 'same');
    expect(a).toBe(b);
  });
});

describe('stagedEntries', () => {
  it('writes generated files to the stage dir', () => {
    const { entries, generated } = stagedEntries([{ type: 'file', path: '/init', mode: 0o755, content: 'x' }, { type: 'dir', path: '/d' }], '/st');
    expect(entries).toEqual([{ type: 'file', path: '/init', src: '/st/gen0_init', mode: 0o755 }, { type: 'dir', path: '/d' }]);
    expect(generated).toEqual([{ file: '/st/gen0_init', content: 'x' }]);
  });
});

describe('buildInitramfs', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kseries-initramfs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('packs with gen_init_cpio and gzip once, then hits the cache', async () => {
    const src = join(dir, 'hello.sh');
    writeFileSync(src, 'echo hi\n');
    const plan = initramfsPlan(inputs({ binaries: [], libraries: [], modules: null, kselftests: null, scenarios: [{ name: 's', files: [{ rel: 'hello.sh', src, mode: 0o644 }] }] }));
    const paths = { data: join(dir, 'data'), cache: join(dir, 'cache') };
    let list = '';
    const r = new FakeRunner()
      .expect('sh', (spec: CommandSpec) => {
        list = readFileSync(spec.args[3], 'utf8');
        writeFileSync(spec.args[4], 'CPIO');
        return {};
      }, { args: ['-c', 'exec "$0" -t 0 "$1" > "$2"', '/b/usr/gen_init_cpio'] })
      .expect('gzip', (spec: CommandSpec) => {
        const f = spec.args[2];
        writeFileSync(`${f}.gz`, readFileSync(f));
        rmSync(f);
        return {};
      });
    const first = await buildInitramfs(r, paths, plan, '/b/usr/gen_init_cpio');
    expect(first.cached).toBe(false);
    expect(readFileSync(first.path, 'utf8')).toBe('CPIO');
    expect(list).toMatch(/^file \/kseries\/scenarios\/s\/hello\.sh \S+hello\.sh 755 0 0$/m);
    expect(list).toMatch(/^nod \/dev\/console 600 0 0 c 5 1$/m);
    // the generated /init is kept beside the image, so that the list can be replayed
    const init = /^file \/init (\S+) 755 0 0$/m.exec(readFileSync(join(first.dir, 'cpio-list.txt'), 'utf8'))![1];
    expect(readFileSync(init, 'utf8')).toBe('#!/bin/sh\n');
    const second = await buildInitramfs(r, paths, plan, '/b/usr/gen_init_cpio');
    expect(second).toMatchObject({ cached: true, path: first.path, hash: first.hash });
    r.verify();
    expect(existsSync(`${first.dir}.tmp-${process.pid}`)).toBe(false);
  });

  it('leaves no half-built directory when gen_init_cpio fails', async () => {
    const plan = initramfsPlan(inputs({ binaries: [], libraries: [], modules: null, kselftests: null, scenarios: [] }));
    const paths = { data: join(dir, 'data'), cache: join(dir, 'cache') };
    const r = new FakeRunner().expect('sh', { exitCode: 1, stderr: 'bad list' });
    await expect(buildInitramfs(r, paths, plan, '/g')).rejects.toMatchObject({ kind: 'infra', message: /gen_init_cpio failed.*bad list/ });
    expect(existsSync(join(paths.cache, 'initramfs')) ? execFileSync('ls', [join(paths.cache, 'initramfs')], { encoding: 'utf8' }) : '').toBe('');
  });
});

describe('listTree', () => {
  it('lists files and links, sorted, with modes', () => {
    const d = mkdtempSync(join(tmpdir(), 'kseries-tree-'));
    try {
      mkdirSync(join(d, 'sub'));
      writeFileSync(join(d, 'sub', 'b.sh'), '', { mode: 0o755 });
      writeFileSync(join(d, 'a'), '', { mode: 0o644 });
      symlinkSync('a', join(d, 'link'));
      expect(listTree(d).map(({ rel, mode, link }) => ({ rel, mode, link }))).toEqual([
        { rel: 'a', mode: 0o644, link: undefined },
        { rel: 'link', mode: 0o777, link: 'a' },
        { rel: 'sub/b.sh', mode: 0o755, link: undefined },
      ]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('initScript', () => {
  const init = initScript();
  it('is valid sh', () => {
    const d = mkdtempSync(join(tmpdir(), 'kseries-init-'));
    try {
      writeFileSync(join(d, 'init'), init);
      execFileSync('sh', ['-n', join(d, 'init')]);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
  it('mounts, links the fd nodes, frames the script with markers and powers off', () => {
    for (const want of [
      'mount -t proc proc /proc', 'mount -t sysfs sysfs /sys', 'mount -t devtmpfs devtmpfs /dev',
      'ln -sf /proc/self/fd /dev/fd', 'ln -sf /proc/self/fd/1 /dev/stdout', 'ln -sf /proc/self/fd/2 /dev/stderr',
      'say "KSERIES-INIT uptime=$up"', 'say "KSERIES-BEGIN $name"', 'say "KSERIES-RESULT $name exit=$rc"', 'say "KSERIES-END"', 'poweroff -f',
      'kseries.script=*)', '| tee "$out"',
    ]) expect(init).toContain(want);
  });
});

describe('the scenarios\' shared shell helpers', () => {
  const sh = (script: string) => execFileSync('sh', ['-c', `${SCENARIO_LIB}\n${script}`], { encoding: 'utf8' });

  it('check prints ok, or the command\'s output as comments and not ok; the counter goes on; pattern is 2 MiB', () => {
    expect(sh('check first true; check second sh -c "echo why; exit 1"; notok third; ok fourth')).toBe('ok 1 first\n# why\nnot ok 2 second\nnot ok 3 third\nok 4 fourth\n');
    expect(sh('pattern | wc -c').trim()).toBe('2097152');
  });

  it('every scenario script that uses them sources them (or defines its own)', () => {
    const root = new URL('../../../ci/scenarios', import.meta.url).pathname;
    const missing: string[] = [];
    for (const f of execFileSync('find', [root, '-name', '*.sh'], { encoding: 'utf8' }).trim().split('\n')) {
      const text = readFileSync(f, 'utf8');
      const sourced = text.includes(`. ${GUEST.scenarioLib}`) || /^\. .*lib\.sh/m.test(text);
      for (const fn of ['check', 'ok', 'notok', 'param', 'pattern']) {
        const used = new RegExp(`(^\\s*|[;&|(]\\s*|\\$\\(|&& |\\|\\| )${fn} `, 'm').test(text);
        const defined = new RegExp(`^${fn}\\(\\)`, 'm').test(text);
        if (used && !defined && !sourced) missing.push(`${f.slice(root.length + 1)}: ${fn}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
