// SPDX-License-Identifier: GPL-2.0-only
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeConsole, findSplats, type VmEnd } from '../../../src/lib/vm/console.js';
import { isFatalLine, kernelText, matchSplat } from '../../../src/lib/vm/splats.js';

const dir = join(new URL('../../fixtures/console', import.meta.url).pathname);
const fixture = (name: string) => ({
  text: readFileSync(join(dir, `${name}.log`), 'latin1'),
  end: (JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as { end: VmEnd }).end,
});

// Real console logs recorded by test/fixtures/console/recorders/record.mjs (Debian 6.1.192, TCG).
describe('analyzeConsole over recorded boots', () => {
  const table: Array<[string, string, 'ok' | 'check' | 'infra', RegExp, string[]]> = [
    ['clean', 'ok', 'ok', /clean boot and poweroff, userspace at \d\.\d\d s/, []],
    ['script-fails', 'ok', 'ok', /clean boot/, []],
    ['init-exits-panic', 'panic', 'check', /Attempted to kill init! exitcode=0x00000100/, ['panic']],
    ['sysrq-crash', 'panic', 'check', /sysrq triggered crash/, ['panic']],
    ['lkdtm-warning', 'warn', 'check', /WARNING: CPU: \d PID: \d+ at drivers\/misc\/lkdtm\/bugs\.c:\d+ lkdtm_WARNING/, ['warn']],
    ['lkdtm-bug', 'bug', 'check', /kernel BUG at drivers\/misc\/lkdtm\/bugs\.c:\d+! \(then panic\)/, ['bug', 'panic']],
    ['lkdtm-exception', 'oops', 'check', /BUG: kernel NULL pointer dereference.*\(then panic\)/, ['oops', 'panic']],
    ['lkdtm-hung-task', 'hung-task', 'check', /INFO: task sh:\d+ blocked for more than 3 seconds/, ['hung-task']],
    ['lkdtm-softlockup', 'soft-lockup', 'check', /soft lockup - CPU#\d stuck for \d+s!/, ['soft-lockup']],
    ['test-hang', 'test-timeout', 'infra', /test timeout: script hang did not finish within 12 s; its last output line: sleeping forever/, []],
    ['boot-cut', 'boot-timeout', 'infra', /boot timeout: userspace \(\/init\) never started within 1\.5 s/, []],
    ['silent', 'silent', 'infra', /kernel printed nothing.*only the firmware printed/, []],
  ];
  it.each(table)('%s → %s (%s)', (name, verdict, exitClass, summary, firstKinds) => {
    const { text, end } = fixture(name);
    const v = analyzeConsole(text, end);
    expect(v.verdict).toBe(verdict);
    expect(v.exitClass).toBe(exitClass);
    expect(v.summary).toMatch(summary);
    expect(v.findings.slice(0, firstKinds.length).map((f) => f.kind)).toEqual(firstKinds);
    if (!firstKinds.length) expect(v.findings).toEqual([]);
  });

  it('a WARN excerpt runs from "cut here" to "end trace"', () => {
    const [f] = findSplats(fixture('lkdtm-warning').text);
    const lines = f.excerpt.split('\n');
    expect(lines[0]).toMatch(/-+\[ cut here \]-+/);
    expect(lines[lines.length - 1]).toMatch(/---\[ end trace [0-9a-f]+ \]---/);
    expect(f.excerpt).toMatch(/Call Trace:/);
  });

  it('an oops excerpt keeps its "Oops:" line and the panic is a separate finding', () => {
    const f = findSplats(fixture('lkdtm-exception').text);
    expect(f[0].excerpt).toMatch(/Oops: \d+ \[#1\]/);
    expect(f[0].excerpt).toMatch(/end trace/);
    expect(f.filter((x) => x.kind === 'oops')).toHaveLength(1);
    expect(f[1].title).toMatch(/Kernel panic - not syncing: Fatal exception/);
  });

  it('a panic excerpt is bounded when the VM exits before the end line', () => {
    const [f] = findSplats(fixture('init-exits-panic').text);
    expect(f.excerpt.split('\n').length).toBeLessThanOrEqual(40);
    expect(f.excerpt).toMatch(/Call Trace:/);
  });

  it('finds the guest time at which /init ran', () => {
    const { text, end } = fixture('clean');
    const v = analyzeConsole(text, end);
    expect(v.userspaceAtSec).toBeGreaterThan(0.5);
    expect(v.reachedInit).toBe(true);
    expect(v.completed).toBe(true);
  });
});

const stamp = (lines: string[]) => lines.map((l, i) => `[    ${(5 + i / 1000).toFixed(6)}] ${l}`).join('\n');
const done = (body: string) => `${body}\n\nKSERIES-END\n`;
const ok: VmEnd = { exitCode: 0, timedOut: false, elapsedMs: 4000 };

// Formats these reports have in 6.1 (lockdep.c, kasan/report.c, rcu/tree_stall.h); they need
// CONFIG_PROVE_LOCKING, CONFIG_KASAN or a long stall, which the recorded kernel lacks.
describe('analyzeConsole over report formats not recorded', () => {
  const table: Array<[string, string, string[]]> = [
    ['lockdep', 'lockdep', ['', '======================================================', 'WARNING: possible circular locking dependency detected', '6.1.0 #1 Not tainted', '------------------------------------------------------', 'sh/1 is trying to acquire lock:', 'stack backtrace:', 'Call Trace:']],
    ['recursive locking', 'lockdep', ['============================================', 'WARNING: possible recursive locking detected', 'Call Trace:']],
    ['inconsistent lock state', 'lockdep', ['================================', 'WARNING: inconsistent lock state']],
    ['kasan', 'kasan', ['==================================================================', 'BUG: KASAN: slab-out-of-bounds in kmem_probe+0x42/0x80', 'Write of size 8 at addr ffff888003a1b2c0 by task sh/1', '==================================================================']],
    ['rcu stall', 'rcu-stall', ['rcu: INFO: rcu_sched self-detected stall on CPU', 'rcu: \t0-....: (21000 ticks this GP)']],
    ['gpf', 'oops', ['general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP', 'RIP: 0010:list_del+0x10/0x40', '---[ end trace 0000000000000000 ]---']],
    ['page fault', 'oops', ['BUG: unable to handle page fault for address: ffffc90000400000', '#PF: supervisor read access in kernel mode', 'Oops: 0000 [#1] PREEMPT SMP', '---[ end trace 0000000000000000 ]---']],
    ['bad page state', 'bug', ['BUG: Bad page state in process sh  pfn:12345']],
    ['sleeping in atomic', 'lockdep', ['BUG: sleeping function called from invalid context at mm/slab.h:723']],
    ['hard lockup', 'hard-lockup', ['NMI watchdog: Watchdog detected hard LOCKUP on cpu 1']],
    // kmemleak.verbose=1 (set by /init on kernels with kmemleak): each object as the scan finds it, then the count
    ['kmemleak object', 'kmemleak', ['kmemleak: unreferenced object 0xffff888004a3c000 (size 64):', 'kmemleak:   comm "sh", pid 1, jiffies 4294893000', 'kmemleak:   backtrace:']],
    ['kmemleak count', 'kmemleak', ['kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)']],
  ];
  it.each(table)('%s → %s', (_name, verdict, lines) => {
    const v = analyzeConsole(done(stamp(['Linux version 6.1.0', ...lines])), ok);
    expect(v.verdict).toBe(verdict);
    expect(v.exitClass).toBe('check');
  });

  it('the first splat is the verdict; a KASAN excerpt ends at its closing rule', () => {
    const log = stamp(['Linux version 6.1.0', '==================================================================', 'BUG: KASAN: use-after-free in f+0x1/0x2', 'Read of size 4', '==================================================================', 'Kernel panic - not syncing: KASAN: panic_on_warn set ...']);
    const f = findSplats(log);
    expect(f.map((x) => x.kind)).toEqual(['kasan', 'panic']);
    expect(f[0].excerpt.split('\n')).toHaveLength(4);
  });

  it("does not take a script's own output for a kernel report", () => {
    const log = done(`${stamp(['Linux version 6.1.0', 'Run /init as init process'])}\nKSERIES-INIT uptime=1.0\n# BUG: this is test output\nKernel panic - not syncing: printed by echo\n`);
    expect(analyzeConsole(log, ok).verdict).toBe('ok');
    expect(isFatalLine('Kernel panic - not syncing: printed by echo')).toBe(false);
  });

  it('finds a kernel report printed on the same line after script output', () => {
    expect(kernelText('partial output[    3.000000] Kernel panic - not syncing: x', true)).toBe('Kernel panic - not syncing: x');
    expect(isFatalLine('abc[    3.000000] Kernel panic - not syncing: x')).toBe(true);
    expect(matchSplat('[    1.000000] WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x0/0x1')?.kind).toBe('warn');
  });

  it('a VM that stops before /init finishes, without a panic, is incomplete (check)', () => {
    const v = analyzeConsole(stamp(['Linux version 6.1.0', 'Run /init as init process']), ok);
    expect(v.verdict).toBe('incomplete');
    expect(v.exitClass).toBe('check');
  });

  it('QEMU failing before the guest runs is infra, with its message', () => {
    const v = analyzeConsole('', { exitCode: 1, timedOut: false, elapsedMs: 30, qemuStderr: 'qemu-system-x86_64: -kernel /nope: No such file or directory\n' });
    expect(v.verdict).toBe('qemu-error');
    expect(v.exitClass).toBe('infra');
    expect(v.summary).toMatch(/No such file/);
  });

  it('an empty log is silent', () => {
    const v = analyzeConsole('', { exitCode: null, timedOut: true, elapsedMs: 10_000 });
    expect(v.verdict).toBe('silent');
    expect(v.summary).toMatch(/stopped at the deadline/);
  });
});
