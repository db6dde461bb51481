// SPDX-License-Identifier: GPL-2.0-only
/**
 * The one door to git: the only module that imports simple-git. Every git operation
 * kseries performs goes through a Git value bound to one repository or worktree.
 */
import { gitHistorySink } from './history-sink.js';
import { simpleGit, type SimpleGit } from 'simple-git';
import { infraError, InterruptedError } from '../errors.js';
import { interruptSignal } from '../cli/interrupt.js';
import { commandLine } from '../exec/shell-quote.js';

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  command: string;
}

export interface GitRunOptions {
  env?: Record<string, string>;
  /** Cleanup after Ctrl-C. */
  ignoreInterrupt?: boolean;
}

/** A fixed identity for commits kseries makes itself (imports, refresh commits), so runs are reproducible. */
export const KSERIES_IDENTITY = {
  GIT_AUTHOR_NAME: 'kseries',
  GIT_AUTHOR_EMAIL: 'kseries@localhost',
  GIT_COMMITTER_NAME: 'kseries',
  GIT_COMMITTER_EMAIL: 'kseries@localhost',
};


export class Git {
  constructor(readonly dir: string) {}

  private client(opts: GitRunOptions, capture: (r: GitResult) => void, args: string[]): SimpleGit {
    const signal = opts.ignoreInterrupt ? undefined : interruptSignal();
    const g = simpleGit({
      baseDir: this.dir,
      maxConcurrentProcesses: 4,
      abort: signal,
      // kseries passes its own fixed editor/pager (no prompts), and tests isolate git config through env;
      // core.hooksPath is only ever pointed at /dev/null, to keep a user's hooks out of our worktrees.
      unsafe: {
        allowUnsafeHooksPath: true,
        allowUnsafeEditor: true,
        allowUnsafePager: true,
        allowUnsafeConfigPaths: true,
        allowUnsafeConfigEnvCount: true,
      } as never,
      errors(error, result) {
        capture({
          exitCode: result.exitCode,
          stdout: Buffer.concat(result.stdOut).toString(),
          stderr: Buffer.concat(result.stdErr).toString(),
          command: commandLine('git', args, undefined, undefined),
        });
        // A git exit status is a result; Ctrl-C or a git that could not start (no exit status) is not.
        if (signal?.aborted || typeof result.exitCode !== 'number' || result.exitCode < 0) {
          return error ?? new Error(Buffer.concat(result.stdErr).toString() || 'git did not run');
        }
        return undefined;
      },
    });
    // Never let a user's pager, editor or terminal prompt block us.
    g.env({ ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', GIT_PAGER: 'cat', ...(opts.env ?? {}) });
    return g;
  }

  /** Runs `git ARGS` in this repository; resolves with the exit code, never rejects on a git failure. */
  async run(args: string[], opts: GitRunOptions = {}): Promise<GitResult> {
    let captured: GitResult | undefined;
    const g = this.client(opts, (r) => (captured = r), args);
    const line = commandLine('git', ['-C', this.dir, ...args]);
    gitHistorySink()?.(line);
    try {
      const out = await g.raw(args);
      return captured ?? { exitCode: 0, stdout: out, stderr: '', command: line };
    } catch (err) {
      if (!opts.ignoreInterrupt && interruptSignal().aborted) throw new InterruptedError(`interrupted while running: ${line}`);
      const e = err as Error;
      if (/ENOENT|spawn git/.test(e.message)) throw infraError('git: command not found', 'Install git (kseries doctor --fix).');
      throw infraError(`git failed to run in ${this.dir}: ${e.message}`);
    }
  }

  /** Like run(), but a non-zero exit is an infrastructure error with git's own message. */
  async ok(args: string[], opts: GitRunOptions = {}): Promise<string> {
    const r = await this.run(args, opts);
    if (r.exitCode !== 0) {
      throw infraError(`git ${args.join(' ')} failed (exit ${r.exitCode}) in ${this.dir}: ${(r.stderr || r.stdout).trim()}`);
    }
    return r.stdout;
  }

  async isRepo(): Promise<boolean> {
    const r = await this.run(['rev-parse', '--git-dir']);
    return r.exitCode === 0;
  }

  /** Resolves REF to a full commit id, or null when it does not exist. */
  async resolve(ref: string): Promise<string | null> {
    const r = await this.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return r.exitCode === 0 ? r.stdout.trim() : null;
  }

  async hasObject(id: string): Promise<boolean> {
    const r = await this.run(['cat-file', '-e', id]);
    return r.exitCode === 0;
  }

  /** The content of a blob (or REV:PATH), null when there is no such object. */
  async blob(id: string): Promise<string | null> {
    const r = await this.run(['cat-file', 'blob', id]);
    return r.exitCode === 0 ? r.stdout : null;
  }

  /** Does COMMIT have a parent, i.e. is there history before it? */
  async hasParent(commit: string): Promise<boolean> {
    const r = await this.run(['rev-parse', '--verify', '--quiet', `${commit}^1`]);
    return r.exitCode === 0;
  }

  /**
   * The pickaxe: commits of LEFT...RIGHT (reachable from one, not both; merges left out) that
   * change how often NEEDLE occurs in PATHS (`git log -S`), newest first. side: "left" for a
   * commit only LEFT has, "right" for one only RIGHT has.
   */
  async pickaxe(needle: string, left: string, right: string, paths: string[]): Promise<Array<{ side: 'left' | 'right'; commit: string; subject: string }>> {
    const r = await this.run(['log', '--no-merges', '--left-right', '--format=%m%H %s', `-S${needle}`, `${left}...${right}`, '--', ...paths]);
    if (r.exitCode !== 0) throw infraError(`git log -S failed in ${this.dir}: ${r.stderr.trim()}`);
    return r.stdout.split('\n').flatMap((l) => {
      const m = /^([<>])([0-9a-f]{40}) (.*)$/.exec(l);
      return m ? [{ side: m[1] === '<' ? ('left' as const) : ('right' as const), commit: m[2], subject: m[3] }] : [];
    });
  }

  async topLevel(): Promise<string> {
    return (await this.ok(['rev-parse', '--show-toplevel'])).trim();
  }

  async commonDir(): Promise<string> {
    return (await this.ok(['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim();
  }

  async statusPorcelain(): Promise<string> {
    return this.ok(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  }
}
