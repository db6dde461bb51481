// SPDX-License-Identifier: GPL-2.0-only
/** The build executor through a strict FakeRunner: the log, the progress, the ledger, prepare failures and time limits. */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archInfo } from '../../../src/lib/build/arches.js';
import { executeBuild } from '../../../src/lib/build/executor.js';
import { planBuild } from '../../../src/lib/build/plan.js';
import type { BuildSpec } from '../../../src/lib/build/spec.js';
import { renderProgress, type ProgressSnapshot } from '../../../src/lib/build/compile-progress.js';
import { KseriesError } from '../../../src/lib/errors.js';
import type { CommandSpec } from '../../../src/lib/exec/runner.js';
import { FakeRunner } from '../../helpers/fake-runner.js';

let dir: string;
let spec: BuildSpec;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kseries-exec-'));
  mkdirSync(join(dir, 'src', 'drivers', 'dax'), { recursive: true });
  writeFileSync(join(dir, 'src', 'drivers', 'dax', 'kmem.c'), 'int x;\n');
  spec = {
    tree: 'k',
    srcDir: join(dir, 'src'),
    buildDir: join(dir, 'build'),
    arch: archInfo('x86_64'),
    crossCompile: null,
    llvm: false,
    ccache: false,
    ccacheDir: null,
    w1: true,
    jobs: 2,
    targets: ['bzImage'],
    configFile: null,
    nice: 0,
    timeoutMs: 0,
  };
  mkdirSync(spec.buildDir, { recursive: true });
  writeFileSync(join(spec.buildDir, '.config'), 'CONFIG_A=y\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A make reply: writes OUTPUT into the log file (as the real runner does) and feeds onLine. */
const makeReply = (lines: string[], exitCode = 0) => (s: CommandSpec) => {
  appendFileSync(s.logFile!, `${lines.join('\n')}\n`);
  for (const l of lines) s.onLine?.(l, 'stdout');
  return { exitCode, durationMs: 1234 };
};

describe('executeBuild', () => {
  it('logs the reproducible command line first, streams make into the log, counts CC lines for the progress, updates the ledger', async () => {
    const lines = ['  CC      drivers/dax/kmem.o', `${spec.srcDir}/drivers/dax/kmem.c:1:5: warning: w [-Wfoo]`, '  CC      drivers/dax/bus.o', '  LD      vmlinux'];
    const fake = new FakeRunner().expect('make', makeReply(lines), { args: ['-C', spec.srcDir, `O=${spec.buildDir}`, 'ARCH=x86_64', 'W=1', '-j2', 'bzImage'] });
    const plan = planBuild(spec, 'S1');
    const seen: ProgressSnapshot[] = [];
    const o = await executeBuild(fake, plan, { header: ['hello'], onProgress: (s) => seen.push(s), throttleMs: 0 });
    fake.verify();
    expect(fake.calls[0]).toMatchObject({ buffer: false, logFile: plan.logPath });
    expect(o).toMatchObject({ ok: true, makeExitCode: 0, hostProblem: null, ledgerBefore: null });
    expect(o.log.compiled).toEqual(['drivers/dax/kmem.o', 'drivers/dax/bus.o']);
    const log = readFileSync(plan.logPath, 'utf8').split('\n');
    expect(log.slice(0, 3)).toEqual([expect.stringMatching(/^# kseries build k \(x86_64\) /), '# hello', `# reproduce: ${plan.commandLine}`]);
    expect(log).toContain(`$ ${plan.commandLine}`);
    expect(log).toContain('# make exit 0 after 1.2 s');
    expect(seen.map((s) => s.compiled)).toEqual([1, 2, 2]);
    expect(seen[1].dir).toBe('drivers/dax');
    expect(renderProgress(seen[1])).toBe('2 objects compiled (no estimate: first build) · drivers/dax/');
    expect(o.ledger.objects['drivers/dax/kmem.o'].warnings).toHaveLength(1);
    expect(JSON.parse(readFileSync(plan.layout.stats, 'utf8'))).toEqual({ compiled: 2, objects: 0 });
    expect(readFileSync(plan.layout.lastLog, 'utf8')).toBe(readFileSync(plan.logPath, 'utf8'));
  });

  it('the next run estimates from the previous count and keeps the ledger', async () => {
    writeFileSync(join(spec.buildDir, 'kseries-build-stats.json'), JSON.stringify({ compiled: 1088, objects: 0 }));
    const fake = new FakeRunner().expect('make', makeReply(['  CC      drivers/dax/kmem.o']));
    const seen: ProgressSnapshot[] = [];
    await executeBuild(fake, planBuild(spec, 'S2'), { onProgress: (s) => seen.push(s), throttleMs: 0 });
    expect(seen[0]).toEqual({ compiled: 1, estimate: 1088, basis: 'previous-count', dir: 'drivers/dax' });
    expect(renderProgress(seen[0])).toBe('1/~1088 objects compiled · drivers/dax/');
  });

  it('a failing make is not an exception: the outcome says so, with the parsed first error', async () => {
    const fake = new FakeRunner().expect('make', makeReply([`${spec.srcDir}/drivers/dax/kmem.c:1:5: error: boom`, 'make[4]: *** [scripts/Makefile.build:250: drivers/dax/kmem.o] Error 1'], 2));
    const o = await executeBuild(fake, planBuild(spec, 'S3'));
    expect(o.ok).toBe(false);
    expect(o.log.firstError).toMatchObject({ rel: 'drivers/dax/kmem.c', line: 1, message: 'boom' });
    expect(o.hostProblem).toBeNull();
    expect(existsSync(join(spec.buildDir, 'kseries-build-stats.json'))).toBe(false);
  });

  it('--config: a failing olddefconfig is an infrastructure error quoting its output', async () => {
    spec.configFile = join(dir, 'my.config');
    writeFileSync(spec.configFile, 'CONFIG_A=y\n');
    const fake = new FakeRunner()
      .expect('mkdir')
      .expect('cp')
      .expect('make', makeReply(['scripts/kconfig/conf: not a config'], 2), { args: ['-C', spec.srcDir, `O=${spec.buildDir}`, 'ARCH=x86_64', 'olddefconfig'] });
    const e = await executeBuild(fake, planBuild(spec, 'S4')).catch((x) => x as KseriesError);
    expect(e).toBeInstanceOf(KseriesError);
    expect((e as KseriesError).kind).toBe('infra');
    expect((e as KseriesError).message).toMatch(/make olddefconfig\) failed \(exit 2\)[\s\S]*not a config/);
  });

  it('make stopped at its time limit is an infrastructure error', async () => {
    spec.timeoutMs = 5000;
    const fake = new FakeRunner().expect('make', (s) => ({ ...makeReply(['  CC      a.o'], 143)(s), timedOut: true }));
    const e = (await executeBuild(fake, planBuild(spec, 'S5')).catch((x) => x)) as KseriesError;
    expect(e.kind).toBe('infra');
    expect(e.message).toContain('time limit of 5 s');
    expect(fake.calls[0].timeoutMs).toBe(5000);
  });
});
