// SPDX-License-Identifier: GPL-2.0-only
/**
 * The kernel build log parser: pure, from the text make printed (stdout and stderr
 * interleaved as they arrived) to what was compiled, every warning and error with its
 * place, and the first error of the build.
 *
 * It reads:
 *   kbuild's quiet lines      "  CC      drivers/dax/kmem.o", "  CC [M]  …", "  LD      vmlinux"
 *   gcc and clang diagnostics "FILE:LINE:COL: error|warning: MESSAGE [-Wflag]" with their
 *                             include chain, "In function" line, notes and source excerpt
 *   kernel-doc (W=1)          "FILE:LINE: warning: Function parameter … not described in …"
 *   objtool                   "drivers/x.o: warning: objtool: …"
 *   the linker                "ld: drivers/x.o: in function `f':" + "x.c:(.text+0x1): undefined reference to `g'",
 *                             lld's "ld.lld: error: undefined symbol: g" + ">>> referenced by x.c:12"
 *   modpost                   "ERROR: modpost: "g" [drivers/dax/x.ko] undefined!"
 *   make                      "make[2]: *** [scripts/Makefile.build:250: drivers/dax/kmem.o] Error 1"
 *   missing host tools        "/bin/sh: 1: flex: not found", "make[1]: bc: No such file or directory"
 *
 * Relative paths are resolved against the source directory (the tree being built), or
 * against the build directory for "../" paths (kbuild's srctree when O= sits inside it).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

export type Tool = 'compiler' | 'kernel-doc' | 'objtool' | 'linker' | 'modpost' | 'make' | 'host';

export interface LogIssue {
  tool: Tool;
  severity: 'error' | 'warning';
  /** The path as printed, or null (modpost, make, host). */
  path: string | null;
  /** The absolute path. */
  file: string | null;
  /** Relative to the source directory (or the build directory for generated files); absolute when outside both. */
  rel: string | null;
  line: number | null;
  column: number | null;
  /** "-Wformat=", "-Werror=implicit-function-declaration", "kernel-doc", "objtool", "modpost"; null for errors without one. */
  flag: string | null;
  message: string;
  /** The compilation unit (the .c or .S being compiled, relative like `rel`), when the log says. */
  unit: string | null;
  /** 1-based line of the log where the issue starts. */
  logLine: number;
  /** The log lines that belong to it: include chain, function, the diagnostic, its notes and source excerpts. */
  context: string[];
  /** For tool "host": the missing program. */
  missing?: string;
}

export interface MakeError {
  /** make's recursion level ("make[2]"), 0 for the top make. */
  level: number;
  /** The target that failed ("drivers/dax/kmem.o"), or null for other make errors. */
  target: string | null;
  /** Where the recipe is ("scripts/Makefile.build:250"). */
  recipe: string | null;
  code: number | null;
  text: string;
  logLine: number;
}

export interface MakeLog {
  /** Number of lines in the log. */
  lines: number;
  /** Objects compiled (kbuild's "CC" and "CC [M]" lines), relative to the build directory. */
  compiled: string[];
  /** Every object and host program built from a source (CC, AS, HOSTCC, …), relative to the build directory. */
  built: string[];
  /** True when the log shows a link of vmlinux or modpost (the link-time warnings were printed again). */
  linked: boolean;
  warnings: LogIssue[];
  errors: LogIssue[];
  makeErrors: MakeError[];
  /** The first error in log order (a compiler, linker, modpost or host error), else the first make error as an issue. */
  firstError: LogIssue | null;
}

export interface ParseOptions {
  srcDir: string;
  buildDir: string;
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-9;]*[A-Za-z]|\x1b\]8;;[^\x07\x1b]*(?:\x07|\x1b\\)/g;
const QUIET_RE = /^ {2}([A-Z][A-Z0-9_]{0,11})(?: \[M\])?\s+(\S+)$/;
const INCLUDED_RE = /^In file included from (.+?):(\d+)(?::\d+)?[,:]$/;
const FROM_RE = /^\s+from (.+?):(\d+)(?::\d+)?[,:]$/;
const INLINED_RE = /^\s+inlined from .* at .+:\d+:\d+[,:]$/;
const FUNCTION_RE = /^(.+?): (?:In (?:static |member )?function|In constructor|In destructor|In instantiation|In lambda function|At top level|At global scope)\b.*:$/;
const DIAG_RE = /^((?:[A-Za-z]:)?[^:\s][^:]*?):(\d+):(?:(\d+):)? (fatal error|internal compiler error|error|warning|note|remark): (.*)$/;
const DRIVER_RE = /^(\S*(?:gcc|cc1|clang|cc|as)(?:-\d+)?): (fatal error|error): (.*)$/;
const EXCERPT_RE = /^\s*\d*\s*\|/;
const FLAG_RE = /\s\[(-W[^\]]+|-Werror[^\]]*|-fsanitize[^\]]*)\]$/;
const OBJTOOL_RE = /^(\S+?\.o): (warning|error): objtool: (.*)$/;
const MODPOST_RE = /^(ERROR|WARNING): modpost: (.*)$/;
const LD_PREFIX = String.raw`(?:\S*-)?ld(?:\.bfd|\.gold|\.lld)?`;
const LD_IN_FUNCTION_RE = new RegExp(`^${LD_PREFIX}: (\\S+?): in function [\`'](.*)':$`);
const LD_REF_RE = new RegExp(`^(?:${LD_PREFIX}: )?([^:\\s]+):\\(([^)]*)\\): (undefined reference to .*|multiple definition of .*|relocation truncated .*)$`);
const LD_ERROR_RE = new RegExp(`^(${LD_PREFIX}): (?:error: )?(.*(?:undefined symbol|undefined reference|multiple definition|final link failed|cannot find|duplicate symbol|relocation).*)$`);
const LLD_REF_RE = /^>>> referenced by (\S+?):(\d+)(?: \((.+?):(\d+)\))?$/;
const LLD_MORE_RE = /^>>>/;
const MAKE_RE = /^g?make(?:\[(\d+)\])?: \*\*\* (.*)$/;
const MAKEFILE_RE = /^(\S+):(\d+): \*\*\* (.*)$/;
const MAKE_TARGET_ERROR_RE = /^\[(.+)\] (?:Error (\d+)|Segmentation fault.*|Killed.*|Interrupt)$/;
const SH_MISSING_RE = /^\/bin\/(?:ba|da)?sh: (?:\d+: |line \d+: )?([^:\s]+): (?:not found|command not found)$/;
const MAKE_MISSING_RE = /^g?make(?:\[\d+\])?: ([^:\s]+): (?:No such file or directory|Command not found)$/;
const SCRIPT_MISSING_RE = /^\S+: line \d+: ([^:\s]+): command not found$/;

/** "-Werror=format=" → "-Wformat=", "-Werror,-Wunused" → "-Wunused": the warning a diagnostic is about. */
export function warningFlag(raw: string | null): string | null {
  if (!raw) return null;
  const parts = raw.split(',').map((s) => s.trim());
  const w = parts.find((p) => p.startsWith('-W') && !/^-Werror$/.test(p)) ?? parts[0];
  return w.replace(/^-Werror=/, '-W');
}

export function parseMakeLog(text: string, opts: ParseOptions): MakeLog {
  const srcDir = resolve(opts.srcDir);
  const buildDir = resolve(opts.buildDir);
  const within = (root: string, f: string) => f === root || f.startsWith(root.endsWith(sep) ? root : root + sep);
  const absOf = (p: string) => (isAbsolute(p) ? resolve(p) : p.startsWith('..') ? resolve(buildDir, p) : resolve(srcDir, p));
  const relOf = (abs: string) => (within(srcDir, abs) ? relative(srcDir, abs) : within(buildDir, abs) ? relative(buildDir, abs) : abs);
  const place = (p: string) => {
    const file = absOf(p);
    return { path: p, file, rel: relOf(file) };
  };
  const objRel = (t: string) => (isAbsolute(t) ? relOf(resolve(t)) : t);
  /** Objects (objtool, the linker) are named relative to the build directory, where make runs. */
  const objPlace = (p: string) => {
    const file = resolve(buildDir, p);
    return { path: p, file, rel: relOf(file) };
  };

  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const compiled: string[] = [];
  const built: string[] = [];
  const warnings: LogIssue[] = [];
  const errors: LogIssue[] = [];
  const makeErrors: MakeError[] = [];
  let linked = false;
  const order: LogIssue[] = [];

  let pending: string[] = [];
  let pendingRoot: string | null = null;
  let pendingFunctionFile: string | null = null;
  const cur: { issue: LogIssue | null } = { issue: null };
  /** The last diagnostic's file and unit: gcc names the include chain only once for consecutive diagnostics in a header. */
  let sticky: { path: string; unit: string } | null = null as { path: string; unit: string } | null;
  let ldObject: { path: string; fn: string; context: string } | null = null;

  const add = (issue: LogIssue): void => {
    (issue.severity === 'error' ? errors : warnings).push(issue);
    order.push(issue);
    cur.issue = issue;
  };
  const resetContext = (): void => {
    pending = [];
    pendingRoot = null;
    pendingFunctionFile = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(ANSI_RE, '').replace(/\r$/, '');
    const logLine = i + 1;
    let m: RegExpExecArray | null;

    if ((m = QUIET_RE.exec(line))) {
      cur.issue = null;
      ldObject = null;
      resetContext();
      const [, tag, target] = m;
      const t = objRel(target);
      if (tag === 'CC') compiled.push(t);
      if (/^(CC|AS|CPP|HOSTCC|HOSTCXX|HOSTLD|CXX)$/.test(tag) && (tag.startsWith('HOST') || t.endsWith('.o'))) built.push(t);
      if ((tag === 'LD' && /(^|\/)vmlinux(\.o)?$/.test(t)) || tag === 'MODPOST') linked = true;
      continue;
    }
    if ((m = INCLUDED_RE.exec(line))) {
      resetContext();
      pending.push(line);
      pendingRoot = m[1];
      continue;
    }
    if ((m = FROM_RE.exec(line)) && pending.length) {
      pending.push(line);
      pendingRoot = m[1];
      continue;
    }
    if (INLINED_RE.test(line) && (pending.length || cur.issue)) {
      if (cur.issue && !pending.length) cur.issue.context.push(line);
      else pending.push(line);
      continue;
    }
    if ((m = FUNCTION_RE.exec(line)) && !DIAG_RE.test(line)) {
      if (pendingFunctionFile !== null) resetContext();
      pending.push(line);
      pendingFunctionFile = m[1];
      continue;
    }
    if ((m = DIAG_RE.exec(line))) {
      const [, p, ln, col, sev, rest] = m;
      if (sev === 'note' || sev === 'remark') {
        if (cur.issue) cur.issue.context.push(...pending, line);
        resetContext();
        continue;
      }
      const fm = FLAG_RE.exec(rest);
      const text = fm ? rest.slice(0, fm.index).trim() : rest.trim();
      const message = sev === 'internal compiler error' ? `${sev}: ${text}` : text;
      const where = place(p);
      const kernelDoc = col === undefined && !fm;
      const unitPath: string = pendingRoot ?? (sticky && (sticky.path === p || sticky.path === pendingFunctionFile) ? sticky.unit : p);
      sticky = { path: p, unit: unitPath };
      add({
        tool: kernelDoc ? 'kernel-doc' : 'compiler',
        severity: sev === 'warning' ? 'warning' : 'error',
        ...where,
        line: Number(ln),
        column: col === undefined ? null : Number(col),
        flag: kernelDoc ? 'kernel-doc' : warningFlag(fm ? fm[1] : null),
        message,
        unit: relOf(absOf(unitPath)),
        logLine: pending.length ? logLine - pending.length : logLine,
        context: [...pending, line],
      });
      resetContext();
      continue;
    }
    const current = cur.issue;
    if (current && (EXCERPT_RE.test(line) || (current.tool === 'linker' && LLD_MORE_RE.test(line)))) {
      const lld = LLD_REF_RE.exec(line);
      if (lld && current.tool === 'linker' && current.path === null) {
        const where = place(lld[3] ?? lld[1]);
        Object.assign(current, where, { line: Number(lld[4] ?? lld[2]) });
      }
      current.context.push(line);
      continue;
    }
    cur.issue = null;
    if ((m = DRIVER_RE.exec(line))) {
      resetContext();
      const [, prog, , msg] = m;
      add({ tool: 'compiler', severity: 'error', path: null, file: null, rel: null, line: null, column: null, flag: null, message: `${prog}: ${msg}`, unit: null, logLine, context: [line] });
      continue;
    }
    if ((m = OBJTOOL_RE.exec(line))) {
      resetContext();
      const [, p, sev, msg] = m;
      const where = objPlace(p);
      add({ tool: 'objtool', severity: sev === 'error' ? 'error' : 'warning', ...where, line: null, column: null, flag: 'objtool', message: msg, unit: where.rel, logLine, context: [line] });
      continue;
    }
    if ((m = MODPOST_RE.exec(line))) {
      resetContext();
      const [, sev, msg] = m;
      const mod = /\[([^\]]+\.ko)\]/.exec(msg)?.[1] ?? /^(\S+\.(?:o|ko)):/.exec(msg)?.[1] ?? null;
      const where = mod ? objPlace(mod) : { path: null, file: null, rel: null };
      add({ tool: 'modpost', severity: sev === 'ERROR' ? 'error' : 'warning', ...where, line: null, column: null, flag: 'modpost', message: msg, unit: null, logLine, context: [line] });
      continue;
    }
    if ((m = LD_IN_FUNCTION_RE.exec(line))) {
      resetContext();
      ldObject = { path: m[1], fn: m[2], context: line };
      continue;
    }
    if ((m = LD_REF_RE.exec(line))) {
      resetContext();
      const [, p, section, msg] = m;
      const obj = ldObject;
      const where = obj ? objPlace(obj.path) : { path: p, file: null, rel: null };
      add({
        tool: 'linker',
        severity: 'error',
        ...where,
        line: null,
        column: null,
        flag: null,
        message: obj ? `${msg} (in ${obj.fn}, ${p}:(${section}))` : `${msg} (${p}:(${section}))`,
        unit: null,
        logLine: obj ? logLine - 1 : logLine,
        context: obj ? [obj.context, line] : [line],
      });
      continue;
    }
    if ((m = LD_ERROR_RE.exec(line))) {
      resetContext();
      add({ tool: 'linker', severity: 'error', path: null, file: null, rel: null, line: null, column: null, flag: null, message: `${m[1]}: ${m[2]}`, unit: null, logLine, context: [line] });
      continue;
    }
    if ((m = SH_MISSING_RE.exec(line) ?? MAKE_MISSING_RE.exec(line) ?? SCRIPT_MISSING_RE.exec(line))) {
      resetContext();
      add({ tool: 'host', severity: 'error', path: null, file: null, rel: null, line: null, column: null, flag: null, message: line.trim(), unit: null, logLine, context: [line], missing: m[1] });
      continue;
    }
    if ((m = MAKE_RE.exec(line))) {
      resetContext();
      const level = m[1] ? Number(m[1]) : 0;
      const rest = m[2];
      if (/^Waiting for unfinished jobs/.test(rest)) continue;
      const t = MAKE_TARGET_ERROR_RE.exec(rest);
      if (t) {
        const where = t[1];
        const k = where.lastIndexOf(': ');
        makeErrors.push({ level, target: k >= 0 ? where.slice(k + 2) : where, recipe: k >= 0 ? where.slice(0, k) : null, code: t[2] ? Number(t[2]) : null, text: line, logLine });
      } else {
        makeErrors.push({ level, target: null, recipe: null, code: null, text: line, logLine });
        add({ tool: 'make', severity: 'error', path: null, file: null, rel: null, line: null, column: null, flag: null, message: rest.replace(/\.\s+Stop\.$/, '.'), unit: null, logLine, context: [line] });
      }
      continue;
    }
    if ((m = MAKEFILE_RE.exec(line))) {
      resetContext();
      const [, p, ln, msg] = m;
      add({ tool: 'make', severity: 'error', ...place(p), line: Number(ln), column: null, flag: null, message: msg.replace(/\.\s+Stop\.$/, '.'), unit: null, logLine, context: [line] });
      continue;
    }
    // Anything else ends a pending include chain only when it is not part of it.
    if (pending.length && line.trim() !== '') resetContext();
  }

  const firstIssue = order.find((x) => x.severity === 'error') ?? null;
  let firstError = firstIssue;
  if (!firstError && makeErrors.length) {
    const e = makeErrors[0];
    firstError = { tool: 'make', severity: 'error', path: null, file: null, rel: null, line: null, column: null, flag: null, message: e.text, unit: null, logLine: e.logLine, context: [e.text] };
  }
  return { lines: lines.length, compiled, built, linked, warnings, errors, makeErrors, firstError };
}

/** The object a compilation unit produces: drivers/dax/kmem.c → drivers/dax/kmem.o, scripts/kallsyms (a host program) → scripts/kallsyms.o. */
export function objectOf(unitOrTarget: string): string {
  if (/\.(c|S|s|cc|cpp)$/.test(unitOrTarget)) return unitOrTarget.replace(/\.[^./]+$/, '.o');
  if (/\.o$/.test(unitOrTarget)) return unitOrTarget;
  return `${unitOrTarget}.o`;
}
