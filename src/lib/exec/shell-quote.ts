// SPDX-License-Identifier: GPL-2.0-only
/** Quote one argument for a POSIX shell, so that logged command lines can be pasted back. */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (/^[A-Za-z0-9_\-+=.,/:@%^]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(cmd: string, args: readonly string[], env?: Record<string, string | undefined>, cwd?: string): string {
  const envPart = env
    ? Object.entries(env)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${shellQuote(String(v))}`)
    : [];
  const line = [...envPart, shellQuote(cmd), ...args.map(shellQuote)].join(' ');
  return cwd ? `(cd ${shellQuote(cwd)} && ${line})` : line;
}
