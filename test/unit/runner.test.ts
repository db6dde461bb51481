// SPDX-License-Identifier: GPL-2.0-only
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KseriesError } from '../../src/lib/errors.js';
import { ExecaRunner } from '../../src/lib/exec/runner.js';
import { commandLine, shellQuote } from '../../src/lib/exec/shell-quote.js';
import { FakeRunner, UnexpectedCommandError } from '../helpers/fake-runner.js';

const repo = new URL('../..', import.meta.url).pathname;

describe('shellQuote', () => {
  it.each([
    ['', "''"],
    ['plain', 'plain'],
    ['a/b-c_d.e,f:g@h%i+j=k', 'a/b-c_d.e,f:g@h%i+j=k'],
    ['two words', "'two words'"],
    ["it's", `'it'\\''s'`],
    ['$HOME', "'$HOME'"],
    ['a;rm -rf /', "'a;rm -rf /'"],
    ['*', "'*'"],
    ['line\nbreak', "'line\nbreak'"],
  ])('%j -> %s', (arg, quoted) => {
    expect(shellQuote(arg)).toBe(quoted);
  });

  it('round-trips through sh', () => {
    const args = ['', 'x y', "it's", '$HOME', '"q"', 'back\\slash', '*'];
    const line = commandLine('printf', ['%s|', ...args]);
    const r = spawnSync('sh', ['-c', line], { encoding: 'utf8' });
    expect(r.stdout).toBe(args.map((a) => `${a}|`).join(''));
  });

  it('puts env before and cwd around the command', () => {
    expect(commandLine('make', ['-j2', 'O=/tmp/b x'], { ARCH: 'x86_64', CC: 'ccache gcc', SKIP: undefined }, '/src/linux 6')).toBe(
      "(cd '/src/linux 6' && ARCH=x86_64 CC='ccache gcc' make -j2 'O=/tmp/b x')",
    );
  });
});

describe('ExecaRunner', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kseries-runner-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a command and buffers its output', async () => {
    const r = await new ExecaRunner().run({ cmd: 'echo', args: ['hello', 'world'] });
    expect(r).toMatchObject({ command: 'echo hello world', exitCode: 0, stdout: 'hello world\n', stderr: '', timedOut: false, cancelled: false });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('resolves with a non-zero exit status instead of rejecting', async () => {
    const r = await new ExecaRunner().run({ cmd: 'sh', args: ['-c', 'echo oops >&2; exit 3'] });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toBe('oops\n');
  });

  it('passes cwd, env and input', async () => {
    const r = await new ExecaRunner().run({ cmd: 'sh', args: ['-c', 'pwd; echo "$KS_X"; cat'], cwd: dir, env: { KS_X: 'x y' }, input: 'from stdin' });
    expect(r.stdout).toBe(`${dir}\nx y\nfrom stdin`);
  });

  it('turns a missing binary into an infrastructure error', async () => {
    const err = await new ExecaRunner().run({ cmd: 'kseries-no-such-binary', args: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KseriesError);
    expect((err as KseriesError).kind).toBe('infra');
    expect((err as KseriesError).exitCode).toBe(3);
    expect((err as KseriesError).message).toMatch(/kseries-no-such-binary: command not found/);
  });

  it('kills a command at timeoutMs and says so', async () => {
    const r = await new ExecaRunner().run({ cmd: 'sleep', args: ['10'], timeoutMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(r.cancelled).toBe(false);
    expect(r.signal).toBe('SIGTERM');
    expect(r.exitCode).toBe(143);
    expect(r.durationMs).toBeLessThan(5000);
  });

  it('stops a command through cancelSignal', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    const r = await new ExecaRunner().run({ cmd: 'sleep', args: ['10'], cancelSignal: stop.signal });
    expect(r.cancelled).toBe(true);
    expect(r.timedOut).toBe(false);
    expect(r.durationMs).toBeLessThan(5000);
  });

  it('appends both streams to logFile and hands lines to onLine', async () => {
    const log = join(dir, 'run.log');
    const lines: Array<[string, string]> = [];
    const runner = new ExecaRunner();
    await runner.run({ cmd: 'echo', args: ['first'], logFile: log });
    const r = await runner.run({
      cmd: 'sh',
      args: ['-c', 'echo out1; echo err1 >&2; printf "out2\\r\\nno-newline"'],
      logFile: log,
      onLine: (l, s) => lines.push([s, l]),
    });
    expect(r.stdout).toBe('out1\nout2\r\nno-newline');
    const text = readFileSync(log, 'utf8');
    expect(text.startsWith('first\n')).toBe(true);
    for (const l of ['out1', 'err1', 'out2', 'no-newline']) expect(text).toContain(l);
    expect(lines.filter(([s]) => s === 'stdout').map(([, l]) => l)).toEqual(['out1', 'out2', 'no-newline']);
    expect(lines.filter(([s]) => s === 'stderr').map(([, l]) => l)).toEqual(['err1']);
  });

  it('does not keep output with buffer:false but still logs and streams it', async () => {
    const log = join(dir, 'build.log');
    const lines: string[] = [];
    const r = await new ExecaRunner().run({ cmd: 'seq', args: ['1', '20000'], buffer: false, logFile: log, onLine: (l) => lines.push(l) });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(lines).toHaveLength(20000);
    expect(lines[19999]).toBe('20000');
    expect(readFileSync(log, 'utf8').split('\n')).toHaveLength(20001);
  });

  it('drains output with buffer:false and no listener (no pipe stall)', async () => {
    const r = await new ExecaRunner().run({ cmd: 'sh', args: ['-c', 'head -c 2000000 /dev/zero; head -c 2000000 /dev/zero >&2'], buffer: false, timeoutMs: 20_000 });
    expect(r).toMatchObject({ exitCode: 0, stdout: '', stderr: '', timedOut: false });
  });

  it('reports an unwritable logFile as an infrastructure error', async () => {
    const err = await new ExecaRunner().run({ cmd: 'echo', args: ['x'], logFile: join(dir, 'missing', 'x.log') }).catch((e: unknown) => e);
    expect((err as KseriesError).kind).toBe('infra');
  });

  it('records every command line, shell-quoted, in history and through onCommand', async () => {
    const seen: string[] = [];
    const runner = new ExecaRunner((l) => seen.push(l));
    await runner.run({ cmd: 'echo', args: ["it's", 'a b'] });
    await runner.run({ cmd: 'true', args: [], env: { A: '1 2' }, cwd: dir });
    await runner.run({ cmd: 'kseries-no-such-binary', args: ['x'] }).catch(() => undefined);
    const expected = [`echo 'it'\\''s' 'a b'`, `(cd ${dir} && A='1 2' true)`, 'kseries-no-such-binary x'];
    expect(runner.history).toEqual(expected);
    expect(seen).toEqual(expected);
  });

  it('stops the running command on Ctrl-C and throws InterruptedError (exit 130)', () => {
    // In a child process: the interrupt handler is process-wide. A child node cannot load the .ts sources: it imports
    // dist/, which test/dist-setup.ts rebuilt from src/ before the run.
    const script = `
      import { ExecaRunner } from ${JSON.stringify(join(repo, 'dist/lib/exec/runner.js'))};
      import { installInterruptHandler } from ${JSON.stringify(join(repo, 'dist/lib/cli/interrupt.js'))};
      installInterruptHandler();
      setTimeout(() => process.kill(process.pid, 'SIGINT'), 300);
      const t = Date.now();
      try { await new ExecaRunner().run({ cmd: 'sleep', args: ['20'] }); console.log('no error'); }
      catch (e) { console.log(JSON.stringify({ kind: e.kind, exitCode: e.exitCode, ms: Date.now() - t })); }
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
    const out = JSON.parse(r.stdout.trim()) as { kind: string; exitCode: number; ms: number };
    expect(out.kind).toBe('interrupted');
    expect(out.exitCode).toBe(130);
    expect(out.ms).toBeLessThan(10_000);
  });
});

describe('FakeRunner', () => {
  it('replies to declared commands and records them', async () => {
    const fake = new FakeRunner()
      .expect('git', { stdout: 'abc\n' }, { args: ['rev-parse', /^HEAD/] })
      .expect(/^make .*O=/, { exitCode: 2, stderr: 'boom' }, { times: Infinity });
    expect((await fake.run({ cmd: 'git', args: ['rev-parse', 'HEAD^{commit}'] })).stdout).toBe('abc\n');
    expect((await fake.run({ cmd: 'make', args: ['-j2', 'O=/b'] })).exitCode).toBe(2);
    expect((await fake.run({ cmd: 'make', args: ['O=/c'] })).stderr).toBe('boom');
    expect(fake.history).toEqual(["git rev-parse 'HEAD^{commit}'", 'make -j2 O=/b', 'make O=/c']);
    expect(fake.calls).toHaveLength(3);
    expect(() => fake.verify()).not.toThrow();
  });

  it('throws on a command nobody expected', async () => {
    const fake = new FakeRunner().expect('git', {}, { args: ['status'] });
    await expect(fake.run({ cmd: 'git', args: ['push'] })).rejects.toBeInstanceOf(UnexpectedCommandError);
    await expect(fake.run({ cmd: 'rm', args: ['-rf', '/'] })).rejects.toThrow(/unexpected command: rm -rf \//);
  });

  it('uses an expectation only as many times as declared', async () => {
    const fake = new FakeRunner().expect('true');
    await fake.run({ cmd: 'true', args: [] });
    await expect(fake.run({ cmd: 'true', args: [] })).rejects.toBeInstanceOf(UnexpectedCommandError);
  });

  it('verify() fails on expectations that were not used up', async () => {
    const fake = new FakeRunner().expect('make', {}, { times: 2 }).expect('qemu-system-x86_64').expect('any', {}, { times: Infinity });
    await fake.run({ cmd: 'make', args: [] });
    expect(() => fake.verify()).toThrow(/expected commands not run: make ; qemu-system-x86_64/);
  });

  it('computes replies from the spec and feeds onLine', async () => {
    const lines: string[] = [];
    const fake = new FakeRunner().expect('echo', (spec) => ({ stdout: spec.args.join('\n') }));
    const r = await fake.run({ cmd: 'echo', args: ['a', 'b'], onLine: (l) => lines.push(l) });
    expect(r.stdout).toBe('a\nb');
    expect(lines).toEqual(['a', 'b']);
  });
});
