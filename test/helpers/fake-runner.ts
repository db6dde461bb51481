// SPDX-License-Identifier: GPL-2.0-only
/**
 * A strict fake Runner: every command a test expects is declared up front with its
 * reply; any other command fails the test at once.
 */
import { describe as describeSpec, type CommandSpec, type RunResult, type Runner } from '../../src/lib/exec/runner.js';

export interface Expectation {
  match: (spec: CommandSpec) => boolean;
  label: string;
  reply: Partial<Omit<RunResult, 'command'>> | ((spec: CommandSpec) => Partial<Omit<RunResult, 'command'>> | Promise<Partial<Omit<RunResult, 'command'>>>);
  times: number; // Infinity for any number
  used: number;
}

export class UnexpectedCommandError extends Error {}

export class FakeRunner implements Runner {
  private readonly expectations: Expectation[] = [];
  readonly calls: CommandSpec[] = [];
  private readonly lines: string[] = [];

  get history(): readonly string[] {
    return this.lines;
  }

  /** Expect `cmd` whose args start with `argsPrefix` (strings, or regexps matched against the whole command line). */
  expect(
    cmd: string | RegExp,
    reply: Expectation['reply'] = {},
    opts: { args?: Array<string | RegExp>; times?: number } = {},
  ): this {
    const { args = [], times = 1 } = opts;
    const match = (spec: CommandSpec) => {
      const cmdOk = typeof cmd === 'string' ? spec.cmd === cmd : cmd.test(describeSpec(spec));
      if (!cmdOk) return false;
      return args.every((a, i) => (typeof a === 'string' ? spec.args[i] === a : a.test(spec.args[i] ?? '')));
    };
    this.expectations.push({ match, label: `${String(cmd)} ${args.map(String).join(' ')}`, reply, times, used: 0 });
    return this;
  }

  async run(spec: CommandSpec): Promise<RunResult> {
    const command = describeSpec(spec);
    this.calls.push(spec);
    this.lines.push(command);
    const e = this.expectations.find((x) => x.used < x.times && x.match(spec));
    if (!e) throw new UnexpectedCommandError(`FakeRunner: unexpected command: ${command}`);
    e.used++;
    const r = typeof e.reply === 'function' ? await e.reply(spec) : e.reply;
    if (r.stdout && spec.onLine) for (const l of r.stdout.split('\n')) spec.onLine(l, 'stdout');
    return {
      command,
      exitCode: r.exitCode ?? 0,
      stdout: r.stdout ?? '',
      stderr: r.stderr ?? '',
      durationMs: r.durationMs ?? 1,
      timedOut: r.timedOut ?? false,
      cancelled: r.cancelled ?? false,
      signal: r.signal,
    };
  }

  /** Fails when an expectation with a finite count was not used up. */
  verify(): void {
    const left = this.expectations.filter((e) => e.times !== Infinity && e.used < e.times);
    if (left.length) throw new Error(`FakeRunner: expected commands not run: ${left.map((e) => e.label).join('; ')}`);
  }
}
