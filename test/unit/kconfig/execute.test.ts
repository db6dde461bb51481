// SPDX-License-Identifier: GPL-2.0-only
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KseriesError } from '../../../src/lib/errors.js';
import { executePlan } from '../../../src/lib/kconfig/execute.js';
import { planApply } from '../../../src/lib/kconfig/plan.js';
import { FakeRunner } from '../../helpers/fake-runner.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  dir = mkdtempSync(join(tmpdir(), 'kseries-exec-'));
  return planApply({ srcDir: '/src', buildDir: join(dir, 'build'), arch: 'x86_64', base: { kind: 'target', target: 'tinyconfig' }, requestedText: 'CONFIG_A=y\n' });
}

describe('executePlan', () => {
  it('runs each step in order through the runner, writes the fragment and logs every command line', async () => {
    const plan = setup();
    const fake = new FakeRunner()
      .expect('mkdir', {}, { args: ['-p'] })
      .expect('make', { stdout: '#\n# configuration written to .config\n#' }, { args: ['-C', '/src', /^O=/, 'ARCH=x86_64', 'tinyconfig'] })
      .expect('sh', { stdout: 'Value of CONFIG_A is redefined by fragment x:' }, { args: [/merge_config\.sh$/, '-m', '-O'] })
      .expect('make', {}, { args: ['-C', '/src', /^O=/, 'ARCH=x86_64', 'olddefconfig'] });
    const seen: string[] = [];
    const res = await executePlan(fake, plan, { onStep: (t) => seen.push(t) });
    fake.verify();
    expect(res.map((r) => r.exitCode)).toEqual([0, 0, 0, 0, 0]);
    expect(res[1].output).toContain('configuration written');
    expect(seen).toHaveLength(5);
    expect(readFileSync(plan.requestedPath, 'utf8')).toBe('CONFIG_A=y\n');
    const log = readFileSync(plan.logPath, 'utf8');
    expect(log).toContain(`$ make -C /src O=${plan.buildDir} ARCH=x86_64 tinyconfig`);
    expect(log).toContain(`# write ${plan.requestedPath}`);
    expect(fake.calls.find((c) => c.cmd === 'sh')!.cwd).toBe(plan.buildDir);
  });

  it('stops at a failing step with an infrastructure error quoting its output', async () => {
    const plan = setup();
    const fake = new FakeRunner()
      .expect('mkdir')
      .expect('make', { exitCode: 2, stdout: "/bin/sh: 1: flex: not found\nmake[2]: *** [scripts/Makefile.host:9: scripts/kconfig/lexer.lex.c] Error 127" });
    const err = await executePlan(fake, plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KseriesError);
    expect((err as KseriesError).kind).toBe('infra');
    expect((err as KseriesError).message).toMatch(/base: make tinyconfig failed \(exit 2\)[\s\S]*flex: not found/);
    expect(fake.calls.map((c) => c.cmd)).toEqual(['mkdir', 'make']);
  });
});
