// SPDX-License-Identifier: GPL-2.0-only
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandSpec } from '../../../src/lib/exec/runner.js';
import { parseScenario } from '../../../src/lib/scenario/scenario.js';
import { parseResults } from '../../../src/lib/report/results.js';
import { executeSelftest } from '../../../src/lib/selftest/execute.js';
import { planSelftest } from '../../../src/lib/selftest/plan.js';
import { FakeRunner } from '../../helpers/fake-runner.js';
import { readLockFile } from '../../../src/lib/lock/file-lock.js';
import { buildDirLock } from '../../../src/lib/lock/targets.js';
import { NO_SLOWDOWN } from '../../../src/lib/selftest/slowdown.js';

const stamp = (lines: string[]) => lines.map((l, i) => `[    ${(1 + i / 100).toFixed(6)}] ${l}`).join('\n');
const guest = (name: string, exit: number, extra = '') =>
  `${stamp(['Linux version 6.1.192', 'Run /init as init process'])}\nKSERIES-INIT uptime=1.50\n\nKSERIES-BEGIN ${name}\n${extra}\nKSERIES-RESULT ${name} exit=${exit}\n\nKSERIES-END\n${stamp(['reboot: Power down'])}\n`;
const serialOf = (s: CommandSpec) => /path=([^,]+)$/.exec(s.args.find((a) => a.startsWith('file,id=con0'))!)![1];
const imageOf = (s: CommandSpec) => /mem-path=([^,]+)/.exec(s.args.find((a) => a.includes('mem-path='))!)![1];

describe('executeSelftest', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kseries-exec-'));
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'bzImage'), '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const plan = (kernelRelease: string | null = null) =>
    planSelftest({
      tree: 't', srcDir: join(dir, 'src'), buildDir: join(dir, 'build'), kernel: join(dir, 'bzImage'),
      scenarios: [{ scenario: parseScenario('pp', { boots: [{ script: 'a.sh' }, { script: 'b.sh' }, { script: 'c.sh' }] }, ['a.sh', 'b.sh', 'c.sh']), dir: join(dir, 'sc') }],
      kselftestTargets: [], accel: 'tcg', timeoutSec: 10, resultsDir: join(dir, 'res'), imageDir: join(dir, 'vm'), bootTimeoutSec: 5, kernelRelease, slowdown: NO_SLOWDOWN,
    });
  const opts = (runner: FakeRunner) => ({
    runner,
    paths: { data: join(dir, 'data'), cache: join(dir, 'cache') },
    judge: null,
    info: { kernelVersion: '6.1.192', base: null, seriesHead: null, rerun: (s: string) => `kseries selftest --tree t --scenario ${s}` },
    chooseAccel: async () => ({ accel: 'tcg' as const, reason: 'test' }),
    initramfs: async () => ({ path: join(dir, 'initrd'), hash: 'h', cached: true, dir, entries: 1 }),
  });

  it('boots each boot on the same backing file, writes the logs and results, removes the image', async () => {
    const images: string[] = [];
    const r = new FakeRunner().expect('qemu-system-x86_64', (s: CommandSpec) => {
      const image = imageOf(s);
      images.push(image);
      expect(existsSync(image)).toBe(true);
      const name = /kseries\.name=(\S+)/.exec(s.args[s.args.indexOf('-append') + 1])![1];
      writeFileSync(serialOf(s), guest(name, 0, `PASS: ${name}`));
      return {};
    }, { times: 3 });
    const res = await executeSelftest(plan(), opts(r));
    expect(res.status).toBe('ok');
    expect(new Set(images).size).toBe(1);
    expect(existsSync(images[0])).toBe(false);
    expect(res.scenarios[0].boots.map((b) => [b.name, b.status, b.scriptExit])).toEqual([
      ['pp:boot1', 'pass', 0], ['pp:boot2', 'pass', 0], ['pp:boot3', 'pass', 0],
    ]);
    const v = JSON.parse(readFileSync(join(dir, 'res', 'pp', 'boot2', 'verdict.json'), 'utf8'));
    expect(v).toMatchObject({ status: 'pass', console: { verdict: 'ok' }, qemuExitCode: 0 });
    const results = parseResults(JSON.parse(readFileSync(join(dir, 'res', 'results.json'), 'utf8')));
    expect(results).toMatchObject({ tree: 't', kernel: '6.1.192', overall: 'pass' });
    expect(results.stages).toEqual([
      expect.objectContaining({ name: 'selftest:pp', status: 'pass', command: 'kseries selftest --tree t --scenario pp', junit: 'junit/selftest.xml', logs: expect.arrayContaining(['pp/boot1/console.log']) }),
    ]);
    expect(readFileSync(join(dir, 'res', 'junit', 'selftest.xml'), 'utf8')).toMatch(/<testsuite name="selftest:pp" id="0" tests="3" failures="0"/);
    const commands = readFileSync(join(dir, 'res', 'commands.log'), 'utf8').trim().split('\n');
    expect(commands).toHaveLength(3);
    expect(commands[0]).toMatch(/^qemu-system-x86_64 -accel tcg/);
    r.verify();
  });

  it('the build directory (kernel, modules) stays locked by this run through every boot of a multi-boot scenario, and is released after', async () => {
    const build = buildDirLock(opts(new FakeRunner()).paths, join(dir, 'build')).path;
    const seen: string[] = [];
    const r = new FakeRunner().expect('qemu-system-x86_64', (s: CommandSpec) => {
      // what a rebuild started now would find: the lock file, naming this run
      seen.push(existsSync(build) ? (readLockFile(build)!.holder!.pid === process.pid ? 'this run' : 'another run') : 'free');
      const name = /kseries\.name=(\S+)/.exec(s.args[s.args.indexOf('-append') + 1])![1];
      writeFileSync(serialOf(s), guest(name, 0, `PASS: ${name}`));
      return {};
    }, { times: 3 });
    const res = await executeSelftest(plan(), opts(r));
    expect(res.scenarios[0].boots.map((b) => b.status)).toEqual(['pass', 'pass', 'pass']);
    expect(seen).toEqual(['this run', 'this run', 'this run']);
    expect(existsSync(build)).toBe(false);
    r.verify();
  });

  it('a boot that panics fails the run and the later boots are not run', async () => {
    const r = new FakeRunner()
      .expect('qemu-system-x86_64', (s: CommandSpec) => {
        writeFileSync(serialOf(s), guest('pp:boot1', 0));
        return {};
      })
      .expect('qemu-system-x86_64', (s: CommandSpec) => {
        writeFileSync(serialOf(s), `${stamp(['Linux version 6.1.192', 'Run /init as init process', 'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100'])}\n`);
        return {};
      });
    const res = await executeSelftest(plan(), opts(r));
    expect(res.status).toBe('fail');
    expect(res.scenarios[0].boots.map((b) => b.status)).toEqual(['pass', 'fail', 'not-run']);
    expect(res.scenarios[0].boots[1].reason).toMatch(/panic at console line 3: Kernel panic - not syncing: Attempted to kill init/);
    const results = parseResults(JSON.parse(readFileSync(join(dir, 'res', 'results.json'), 'utf8')));
    expect(results.overall).toBe('fail');
    expect(results.stages[0].summary).toMatch(/^boot2 \(b\.sh\): panic at console line 3/);
    const junit = readFileSync(join(dir, 'res', 'junit', 'selftest.xml'), 'utf8');
    expect(junit).toMatch(/<failure message="panic at console line 3[^"]*"/);
    expect(junit).toMatch(/Attempted to kill init/);
    r.verify();
  });

  it('a failing preparation step is an infrastructure error that points at its log', async () => {
    const r = new FakeRunner().expect('make', (s: CommandSpec) => {
      writeFileSync(s.logFile!, 'make: *** No rule to make target modules_install\n');
      return { exitCode: 2 };
    });
    await expect(executeSelftest(plan('6.1.192'), opts(r))).rejects.toMatchObject({ kind: 'infra', message: /No rule to make target/ });
  });

  it('the guest files are made once per build: a second run on an unchanged kernel runs no make; a rebuilt module, a failed step or a removed output makes it run again', async () => {
    const build = join(dir, 'build');
    const modules = join(build, 'kseries-guest', 'modules', 'lib', 'modules', '6.1.192');
    for (const f of ['modules.builtin', 'modules.builtin.modinfo']) writeFileSync(join(build, f), f);
    mkdirSync(join(build, 'drivers'));
    writeFileSync(join(build, 'modules.order'), 'drivers/kmem.o\n');
    writeFileSync(join(build, 'drivers', 'kmem.ko'), 'v1');
    const install = (s: CommandSpec) => {
      expect(s.args).toContain('modules_install');
      mkdirSync(modules, { recursive: true });
      writeFileSync(join(modules, 'modules.builtin'), '');
      writeFileSync(join(modules, 'modules.dep'), '');
      return {};
    };
    const boots = (r: FakeRunner) => r.expect('qemu-system-x86_64', (s: CommandSpec) => {
      const name = /kseries\.name=(\S+)/.exec(s.args[s.args.indexOf('-append') + 1])![1];
      writeFileSync(serialOf(s), guest(name, 0));
      return {};
    }, { times: 3 });
    const run = async (r: FakeRunner) => {
      const said: string[] = [];
      await executeSelftest(plan('6.1.192'), { ...opts(r), progress: (m: string) => said.push(m) });
      r.verify();
      return said.filter((m) => m.startsWith('modules:'));
    };
    expect(await run(boots(new FakeRunner().expect('make', install)))).toEqual(['modules: modules_install']);
    // the same kernel again: no make at all (the strict fake runner fails on any command not expected)
    expect(await run(boots(new FakeRunner()))).toEqual(['modules: up to date']);
    expect(readFileSync(join(dir, 'res', 'prepare.log'), 'utf8')).toMatch(/^modules: up to date \(\S+stamps\/modules\.json\), not run: make -C .* modules_install$/m);
    // the record of the run still names the step, as a comment: rerunning commands.log by hand makes the same guest files
    expect(readFileSync(join(dir, 'res', 'commands.log'), 'utf8')).toMatch(/^# up to date, not run \(\S+stamps\/modules\.json\): make -C .* modules_install$/m);
    // a relink of vmlinux rewrites modules.builtin.modinfo with the same content: still up to date
    writeFileSync(join(build, 'modules.builtin.modinfo'), 'modules.builtin.modinfo');
    expect(await run(boots(new FakeRunner()))).toEqual(['modules: up to date']);
    // a module rebuilt (.o in modules.order names the .ko beside it)
    writeFileSync(join(build, 'drivers', 'kmem.ko'), 'v2 longer');
    expect(await run(boots(new FakeRunner().expect('make', install)))).toEqual(['modules: modules_install']);
    // a failed step leaves no stamp: the next run redoes it
    const failing = new FakeRunner().expect('make', () => ({ exitCode: 2 }));
    writeFileSync(join(build, 'modules.builtin'), 'another built-in module');
    await expect(executeSelftest(plan('6.1.192'), opts(failing))).rejects.toMatchObject({ kind: 'infra' });
    expect(existsSync(join(build, 'kseries-guest', 'stamps', 'modules.json'))).toBe(false);
    expect(await run(boots(new FakeRunner().expect('make', install)))).toEqual(['modules: modules_install']);
    // an output removed by hand (or by make clean): made again
    rmSync(join(modules, 'modules.dep'));
    expect(await run(boots(new FakeRunner().expect('make', install)))).toEqual(['modules: modules_install']);
  });

  it('the kselftests: made from empty directories when their inputs changed (no stale binary or installed file survives); a source saved while make ran leaves no stamp', async () => {
    const src = join(dir, 'src');
    const ks = join(src, 'tools', 'testing', 'selftests');
    mkdirSync(join(ks, 'dax'), { recursive: true });
    writeFileSync(join(ks, 'dax', 'dax-pmd.c'), 'int main(void) { return 0; }\n');
    const install = join(dir, 'build', 'kseries-guest', 'kselftest', 'dax');
    const p = planSelftest({
      tree: 't', srcDir: src, buildDir: join(dir, 'build'), kernel: join(dir, 'bzImage'),
      scenarios: [{ scenario: parseScenario('pp', { boots: [{ script: 'a.sh' }] }, ['a.sh']), dir: join(dir, 'sc') }],
      kselftestTargets: ['dax'], accel: 'tcg', timeoutSec: 10, resultsDir: join(dir, 'res'), imageDir: join(dir, 'vm'), bootTimeoutSec: 5, kernelRelease: null, slowdown: NO_SLOWDOWN,
    });
    const headers = (s: CommandSpec) => {
      expect(s.args).toContain('headers');
      mkdirSync(join(dir, 'build', 'usr', 'include', 'linux'), { recursive: true });
      writeFileSync(join(dir, 'build', 'usr', 'include', 'linux', 'version.h'), '');
      return {};
    };
    const kselftest = (during?: () => void) => (s: CommandSpec) => {
      expect(s.args).toContain('FORCE_TARGETS=1');
      // what an earlier run installed is gone before make runs
      expect(existsSync(join(install, 'dax', 'old-test'))).toBe(false);
      mkdirSync(join(install, 'dax'), { recursive: true });
      for (const f of ['run_kselftest.sh', 'kselftest-list.txt']) writeFileSync(join(install, f), '');
      writeFileSync(join(install, 'dax', 'dax-pmd'), '');
      during?.();
      return {};
    };
    const boot = (r: FakeRunner) => r.expect('qemu-system-x86_64', (s: CommandSpec) => {
      writeFileSync(serialOf(s), guest('pp:boot1', 0));
      return {};
    });
    const run = async (r: FakeRunner) => {
      const said: string[] = [];
      await executeSelftest(p, { ...opts(r), progress: (m: string) => said.push(m) });
      r.verify();
      return said.filter((m) => /^(headers|kselftest:dax):/.test(m));
    };
    // a save into the kselftest's sources while its make runs: the output may predate it, so no stamp
    const saved = () => writeFileSync(join(ks, 'dax', 'dax-pmd.c'), 'int main(void) { return 1; }\n');
    expect(await run(boot(new FakeRunner().expect('make', headers).expect('make', kselftest(saved))))).toEqual(['headers: headers', 'kselftest:dax: install']);
    expect(readFileSync(join(dir, 'res', 'prepare.log'), 'utf8')).toContain('kselftest:dax: its inputs changed while it ran: no stamp, the next run makes it again');
    writeFileSync(join(install, 'dax', 'old-test'), 'a test the sources no longer have');
    expect(await run(boot(new FakeRunner().expect('make', kselftest())))).toEqual(['headers: up to date', 'kselftest:dax: install']);
    expect(await run(boot(new FakeRunner()))).toEqual(['headers: up to date', 'kselftest:dax: up to date']);
  });

  it('a missing kernel is an infrastructure error before anything runs', async () => {
    rmSync(join(dir, 'bzImage'));
    await expect(executeSelftest(plan(), opts(new FakeRunner()))).rejects.toMatchObject({ kind: 'infra', message: /no kernel at/ });
  });
});
