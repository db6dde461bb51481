// SPDX-License-Identifier: GPL-2.0-only
/**
 * The base of every kseries command: --json with {status, result, warnings} on stdout,
 * progress on stderr, errors mapped to exit codes with a suggested action, Ctrl-C
 * cleanup, and the command log. Commands stay thin: parse, call a service, render.
 */
import { Command, Flags, type Interfaces } from '@oclif/core';
import { EXIT, EXIT_CODE_HELP, InterruptedError, KseriesError, toKseriesError } from '../errors.js';
import { ExecaRunner, type Runner } from '../exec/runner.js';
import { commandLine } from '../exec/shell-quote.js';
import { setGitHistorySink } from '../git/history-sink.js';
import { configureLocks } from '../lock/locks.js';
import { statePaths, type StatePaths } from '../paths.js';
import { installInterruptHandler, interruptSignal, runCleanups } from './interrupt.js';
import { progressEnabled } from './progress.js';

export type Status = 'ok' | 'fail' | 'error';

export type Verdict = 'ok' | 'fail' | 'infra';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof KseriesCommand)['baseFlags'] & T['flags']>;

export abstract class KseriesCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    'state-dir': Flags.directory({
      helpGroup: 'GLOBAL',
      summary: 'Where trees and the registry live (default $KSERIES_HOME or $XDG_DATA_HOME/kseries).',
    }),
    'cache-dir': Flags.directory({
      helpGroup: 'GLOBAL',
      summary: 'Where build dirs, initramfs and VM images live (default $KSERIES_CACHE or $XDG_CACHE_HOME/kseries).',
    }),
    verbose: Flags.boolean({ helpGroup: 'GLOBAL', summary: 'Print every command line run, on stderr.' }),
  };

  static override usage: string | string[] | undefined = undefined;

  protected warnings: string[] = [];
  protected status: Status = 'ok';
  private verdictCode: number = EXIT.ok;
  private runnerInstance?: Runner;
  private paths?: StatePaths;
  private verboseFlag = false;

  static exitCodeHelp = EXIT_CODE_HELP;

  public override async init(): Promise<void> {
    await super.init();
    installInterruptHandler();
    const argv = this.argv;
    this.verboseFlag = argv.includes('--verbose');
    const stateIdx = argv.indexOf('--state-dir');
    const cacheIdx = argv.indexOf('--cache-dir');
    const pick = (i: number, prefix: string) =>
      i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${prefix}=`))?.slice(prefix.length + 1);
    this.paths = statePaths(process.env, {
      data: pick(stateIdx, '--state-dir'),
      cache: pick(cacheIdx, '--cache-dir'),
    });
    setGitHistorySink(this.verboseFlag ? (l) => process.stderr.write(`+ ${l}\n`) : undefined);
    // who holds a lock, as another run will be told; --no-wait (cli/no-wait.ts) refuses instead of waiting
    configureLocks({ wait: !argv.includes('--no-wait'), command: commandLine('kseries', [...(this.id ?? '').split(':').filter(Boolean), ...argv]) });
  }

  protected get state(): StatePaths {
    return this.paths ?? statePaths();
  }

  protected get runner(): Runner {
    if (!this.runnerInstance) {
      this.runnerInstance = new ExecaRunner(this.verboseFlag ? (l) => process.stderr.write(`+ ${l}\n`) : undefined);
    }
    return this.runnerInstance;
  }

  /** True when progress may be drawn on stderr. */
  protected get quiet(): boolean {
    return !progressEnabled(this.jsonEnabled());
  }

  protected warn2(msg: string): void {
    this.warnings.push(msg);
    if (!this.jsonEnabled()) process.stderr.write(`warning: ${msg}\n`);
  }

  /** Records the outcome of a command that ran to its end: ok (0), fail (1: a check failed) or infra (3). */
  protected verdict(v: Verdict): void {
    this.status = v === 'ok' ? 'ok' : v === 'fail' ? 'fail' : 'error';
    this.verdictCode = v === 'ok' ? EXIT.ok : v === 'fail' ? EXIT.check : EXIT.infra;
  }

  /** Human output goes to stdout only when --json is off. */
  protected out(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  protected override toSuccessJson(result: unknown): unknown {
    return { status: this.status, result: result ?? null, warnings: this.warnings };
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    if (!err && this.verdictCode !== EXIT.ok) process.exitCode = this.verdictCode;
    return super.finally(err);
  }

  protected override async catch(err: Interfaces.CommandError): Promise<unknown> {
    // oclif's own help/version exits
    if ((err as { oclif?: { exit?: number } }).oclif?.exit === 0) throw err;
    await runCleanups();
    let e: KseriesError = toKseriesError(err);
    // after Ctrl-C, a failure is its consequence (a child died of the same SIGINT first): exit 130
    if (interruptSignal().aborted && e.kind !== 'interrupted' && e.kind !== 'usage') e = new InterruptedError(`interrupted (${e.message})`);
    const json = this.jsonEnabled() || this.argv.includes('--json');
    if (json) {
      process.stdout.write(
        `${JSON.stringify(
          {
            status: e.kind === 'interrupted' ? 'interrupted' : 'error',
            result: null,
            warnings: this.warnings,
            error: { kind: e.kind, exitCode: e.exitCode, message: e.message, suggestion: e.suggestion ?? null, details: e.details ?? null },
          },
          null,
          2,
        )}\n`,
      );
    } else {
      process.stderr.write(`kseries: error: ${e.message}\n`);
      if (e.suggestion) process.stderr.write(`  hint: ${e.suggestion}\n`);
      if (process.env.KSERIES_DEBUG && e.cause instanceof Error && e.cause.stack) process.stderr.write(`${e.cause.stack}\n`);
    }
    process.exitCode = e.exitCode;
    return undefined;
  }
}
