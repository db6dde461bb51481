// SPDX-License-Identifier: GPL-2.0-only
/**
 * The error model: every failure kseries reports is one of these kinds, and each
 * kind has one exit code. Commands never print stack traces for them.
 */
export const EXIT = {
  ok: 0,
  check: 1,
  usage: 2,
  infra: 3,
  interrupted: 130,
} as const;

export type ErrorKind = 'check' | 'usage' | 'infra' | 'interrupted';

export const EXIT_CODE_HELP = [
  'EXIT CODES',
  '  0    everything asked for succeeded',
  '  1    a check failed (a patch conflict, a build error, a failing test, a dropped Kconfig symbol)',
  '  2    usage error (bad flag, unknown tree, missing or invalid input file)',
  '  3    infrastructure problem (a host tool is missing, a timeout, the VM could not start, --no-wait and another run holds the lock)',
  '  130  interrupted (Ctrl-C); half-done state is cleaned up or parked',
].join('\n');

export class KseriesError extends Error {
  readonly kind: ErrorKind;
  readonly suggestion?: string;
  readonly details?: unknown;

  constructor(kind: ErrorKind, message: string, opts: { suggestion?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KseriesError';
    this.kind = kind;
    this.suggestion = opts.suggestion;
    this.details = opts.details;
  }

  get exitCode(): number {
    return EXIT[this.kind];
  }
}

export const usageError = (message: string, suggestion?: string, details?: unknown) =>
  new KseriesError('usage', message, { suggestion, details });
export const infraError = (message: string, suggestion?: string, details?: unknown) =>
  new KseriesError('infra', message, { suggestion, details });
export const checkError = (message: string, suggestion?: string, details?: unknown) =>
  new KseriesError('check', message, { suggestion, details });

export class InterruptedError extends KseriesError {
  constructor(what = 'interrupted') {
    super('interrupted', what, { suggestion: 'Re-run the command; partial state was cleaned up or parked as reported.' });
  }
}

/** Map anything thrown to a KseriesError. Unknown errors are infrastructure errors. */
export function toKseriesError(err: unknown): KseriesError {
  if (err instanceof KseriesError) return err;
  const e = err as { oclif?: { exit?: number }; code?: string; message?: string; name?: string };
  if (e && typeof e === 'object' && e.oclif && e.oclif.exit === 2) {
    return new KseriesError('usage', e.message ?? String(err), { suggestion: 'See --help for the accepted flags.' });
  }
  if (e && typeof e === 'object' && (e.name === 'AbortError' || e.code === 'ABORT_ERR')) return new InterruptedError();
  // oclif's flag/arg parser errors
  if (e && typeof e === 'object' && typeof e.name === 'string' && /Parse|Flag|Arg|Required|Unexpected|Nonexistent/.test(e.name)) {
    return new KseriesError('usage', e.message ?? String(err), { suggestion: 'See --help for the accepted flags.' });
  }
  // a flag's own parse step failed (Flags.file/directory with exists: true, a custom parse): oclif prefixes "Parsing --FLAG"
  if (e && typeof e === 'object' && typeof e.message === 'string' && /^Parsing --[\w-]+ /.test(e.message)) {
    return new KseriesError('usage', e.message.replace(/ \n\t/, ': ').replace(/\nSee more help with --help$/, ''), { suggestion: 'See --help for the accepted flags.' });
  }
  const message = e && typeof e === 'object' && e.message ? e.message : String(err);
  return new KseriesError('infra', `internal error: ${message}`, {
    suggestion: 'This is a bug in kseries or an unexpected host state; re-run with KSERIES_DEBUG=1 for a stack trace.',
    cause: err,
  });
}
