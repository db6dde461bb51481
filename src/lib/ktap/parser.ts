// SPDX-License-Identifier: GPL-2.0-only
/**
 * The KTAP/TAP parser: a captured console in, a tree of tests out. Pure.
 *
 * It reads what the kernel and its selftests print:
 * - KTAP v1 and TAP 13/14 headers, plans (`1..N`, also after the results and `1..0 # SKIP`),
 *   `ok`/`not ok` lines with numbers, descriptions and the directives SKIP, TODO, XFAIL,
 *   TIMEOUT and kselftest's `# error`; any other `# ...` after a result is kept as a comment
 *   (run_kselftest.sh's `# exit=1`).
 * - KUnit nesting by indentation (4 spaces, tabs, or anything deeper than the parent),
 *   with a `KTAP version` and/or `# Subtest: NAME` header; unindented `# Subtest:` blocks
 *   end the way kunit_parser.py ends them (plan complete, or a result named like the header).
 * - kselftest nesting: run_kselftest.sh prints `# selftests: DIR: NAME`, then the program's
 *   own output behind `# `, then the runner's result. A TAP stream inside that block becomes
 *   the test's subtests, at any depth. Several `TAP version` documents in one run (one per
 *   collection) become one child each.
 * - Console noise: printk timestamps are removed, kernel messages and any unrecognised line
 *   become diagnostics of the test they appear in, never breaking the structure. Output ends
 *   at a kernel panic, "List of all partitions:" or a power-off; what follows is kept as
 *   diagnostics.
 * - Failure modes: planned tests never reported (the VM died, the stream was cut, a test
 *   program exited early) are CRASHED, never passed; tests missing after `Bail out!` are
 *   ERROR; results after a bail-out are ignored and reported as problems.
 *
 * Statuses escalate upwards: a parent is at least as bad as its worst child, so a kselftest
 * program that prints `not ok` for a subtest but exits 0 still fails.
 */
import {
  BAIL_RE,
  classify,
  consoleLines,
  dedent,
  END_RE,
  findStart,
  makeLine,
  PLAN_RE,
  RESULT_RE,
  stripPrefix,
  SUBTEST_RE,
  VERSION_RE,
  type KtapLine,
  type LineKind,
} from './lines.js';
import { displayName, type DirectiveKind, type KtapDirective, type KtapProblem, type KtapResult, type KtapStatus, type KtapTest } from './types.js';
import { countTests, deriveStatus, isFailing, worse } from './verdict.js';

export type { DirectiveKind, KtapDirective, KtapProblem, KtapResult, KtapStatus, KtapTest } from './types.js';
export { displayName } from './types.js';

interface Stream {
  header: { format: 'KTAP' | 'TAP'; version: number } | null;
  name: string | null;
  plan: number | null;
  planDirective: KtapDirective | null;
  tests: KtapTest[];
  diagnostics: string[];
  errors: string[];
  bail: string | null;
  firstLine: number | null;
}

interface ParsedLine extends KtapLine {
  /** Past the end of the output, or noise inside nested output: never structure. */
  inert?: boolean;
}

class Cursor {
  i = 0;
  constructor(readonly lines: ParsedLine[]) {}
  peek(): ParsedLine | undefined {
    return this.lines[this.i];
  }
  next(): ParsedLine {
    return this.lines[this.i++];
  }
  done(): boolean {
    return this.i >= this.lines.length;
  }
}

const kindOf = (l: ParsedLine): LineKind => (l.inert ? 'other' : classify(l.content));

const DIRECTIVE_RE = /^(skip\w*|todo|xfail|timeout|error)\b[:\s]*(.*)$/i;

function parseDirective(text: string): KtapDirective | null {
  const m = DIRECTIVE_RE.exec(text.trim());
  if (!m) return null;
  const w = m[1].toLowerCase();
  const kind: DirectiveKind = w.startsWith('skip') ? 'SKIP' : w === 'todo' ? 'TODO' : w === 'xfail' ? 'XFAIL' : w === 'timeout' ? 'TIMEOUT' : 'ERROR';
  return { kind, reason: m[2].trim() };
}

interface ResultLine {
  ok: boolean;
  number: number;
  name: string;
  directive: KtapDirective | null;
  comment: string | null;
}

/** `ok 1 - name # SKIP why`: the description ends at the first unescaped '#' that starts a word. */
export function parseResultLine(content: string): ResultLine | null {
  const m = RESULT_RE.exec(content);
  if (!m) return null;
  const rest = m[3] ?? '';
  let cut = -1;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '#' && (i === 0 || /\s/.test(rest[i - 1])) && rest[i - 1] !== '\\') {
      cut = i;
      break;
    }
  }
  const desc = (cut >= 0 ? rest.slice(0, cut) : rest).trim().replace(/^-(\s+|$)/, '').replace(/\\#/g, '#');
  const after = cut >= 0 ? rest.slice(cut + 1).trim() : null;
  const directive = after !== null ? parseDirective(after) : null;
  return {
    ok: m[1] === 'ok',
    number: Number(m[2]),
    name: desc,
    directive,
    comment: after !== null && !directive ? after : null,
  };
}

function statusOf(r: ResultLine): KtapStatus {
  switch (r.directive?.kind) {
    case 'SKIP':
      return 'skip';
    case 'TODO':
      return 'todo';
    case 'ERROR':
      return r.ok ? 'pass' : 'error';
    default:
      return r.ok ? 'pass' : 'fail';
  }
}

function newTest(partial: Partial<KtapTest>): KtapTest {
  return {
    name: '',
    number: null,
    status: 'crashed',
    reported: null,
    directive: null,
    comment: null,
    plan: null,
    diagnostics: [],
    subtests: [],
    errors: [],
    line: null,
    ...partial,
  };
}

/** push(...items) without the argument-count limit: a dead VM's console can be long. */
function append<T>(to: T[], items: readonly T[]): void {
  for (const x of items) to.push(x);
}

const KSELFTEST_NAME_RE = /^# (selftests: \S+: .+)$/;

/**
 * A run of diagnostic lines before a result. When they are a kselftest program's output
 * behind "# " and hold a TAP stream, that stream is parsed (recursively) as the subtests.
 */
function splitDiagnostics(
  pending: ParsedLine[],
  base: number,
): { diagnostics: string[]; nested: Stream[] | null; kselftestName: string | null } {
  const text = (l: ParsedLine) => dedent(l.text, base);
  let kselftestName: string | null = null;
  for (const l of pending) {
    const m = KSELFTEST_NAME_RE.exec(l.content);
    if (m) {
      kselftestName = m[1];
      break;
    }
  }
  const inner: ParsedLine[] = pending.map((l) => {
    if (l.content === '#') return { ...makeLine(l.no, l.raw, '', l.kernel) };
    if (l.content.startsWith('# ')) return { ...makeLine(l.no, l.raw, l.content.slice(2), l.kernel) };
    return { ...l, inert: true };
  });
  let start = -1;
  const hasPlan = inner.some((l) => !l.inert && PLAN_RE.test(l.content));
  const hasResult = inner.some((l) => !l.inert && RESULT_RE.test(l.content));
  for (let i = 0; i < inner.length; i++) {
    const l = inner[i];
    if (l.inert || l.indent !== 0) continue;
    if (VERSION_RE.test(l.content) || (hasPlan && hasResult && (PLAN_RE.test(l.content) || RESULT_RE.test(l.content)))) {
      start = i;
      break;
    }
  }
  if (start < 0) return { diagnostics: pending.map(text), nested: null, kselftestName };
  return {
    diagnostics: pending.slice(0, start).map(text),
    nested: parseDocuments(inner.slice(start)),
    kselftestName,
  };
}

/** Gives `t` the subtests of a nested kselftest stream. */
function adoptNested(t: KtapTest, nested: Stream[]): void {
  if (nested.length === 1) {
    const s = nested[0];
    t.plan = s.plan;
    t.subtests = s.tests;
    append(t.diagnostics, s.diagnostics);
    append(t.errors, s.errors);
  } else {
    t.subtests = nested.map((s, i) => documentTest(s, i + 1));
  }
}

interface StreamOpts {
  /** Top level: a version line after the first one starts a new document. */
  document: boolean;
  /** An unindented `# Subtest:` block: ends when its plan is complete or a result carries its name. */
  sameIndent: boolean;
}

function parseStream(cur: Cursor, base: number, opts: StreamOpts): Stream {
  const s: Stream = {
    header: null,
    name: null,
    plan: null,
    planDirective: null,
    tests: [],
    diagnostics: [],
    errors: [],
    bail: null,
    firstLine: cur.peek()?.no ?? null,
  };
  let pending: ParsedLine[] = [];
  let lastLeaf: KtapTest | null = null;
  const started = () => s.plan !== null || s.tests.length > 0;
  const flushToOwner = () => {
    for (const l of pending) s.diagnostics.push(dedent(l.text, base));
    pending = [];
  };

  while (!cur.done()) {
    const l = cur.peek()!;
    const kind = kindOf(l);

    if (s.bail !== null) {
      if (kind !== 'other' && l.indent < base) break;
      if (opts.document && kind === 'version' && l.indent <= base) break;
      if (kind === 'result') s.errors.push(`line ${l.no}: result after Bail out! ignored: ${l.content}`);
      pending.push(cur.next());
      continue;
    }

    if (kind === 'other') {
      // A TAP 13 YAML block right after a result belongs to that result.
      if (lastLeaf && pending.length === 0 && l.content === '---' && l.indent > base) {
        while (!cur.done()) {
          const y = cur.next();
          lastLeaf.diagnostics.push(dedent(y.text, base));
          if (y.content === '...') break;
        }
        continue;
      }
      pending.push(cur.next());
      continue;
    }

    if (l.indent < base) break;

    if (l.indent > base) {
      // A deeper stream: a nested test whose result line comes back at our level.
      const childIndent = l.indent;
      const leading = pending;
      pending = [];
      const child = parseStream(cur, childIndent, { document: false, sameIndent: false });
      const next = cur.peek();
      const closing = next && kindOf(next) === 'result' && next.indent < childIndent ? parseResultLine(next.content) : null;
      s.tests.push(groupTest(child, closing, closing ? cur.next().no : null, s.tests.length + 1, leading, base));
      lastLeaf = null;
      continue;
    }

    // At our level.
    switch (kind) {
      case 'version': {
        if (!s.header && !started() && s.name === null) {
          const m = VERSION_RE.exec(l.content)!;
          s.header = { format: m[1] as 'KTAP' | 'TAP', version: Number(m[2]) };
          cur.next();
          flushToOwner();
          continue;
        }
        if (opts.document) {
          flushToOwner();
          return finish(s, pending, base);
        }
        s.tests.push(sameIndentChild(cur, base, pending, s.tests.length + 1));
        pending = [];
        lastLeaf = null;
        continue;
      }
      case 'subtest': {
        if (s.name === null && !started()) {
          s.name = SUBTEST_RE.exec(l.content)![1].trim();
          cur.next();
          flushToOwner();
          continue;
        }
        s.tests.push(sameIndentChild(cur, base, pending, s.tests.length + 1));
        pending = [];
        lastLeaf = null;
        continue;
      }
      case 'plan': {
        cur.next();
        const m = PLAN_RE.exec(l.content)!;
        if (s.plan === null) {
          s.plan = Number(m[1]);
          s.planDirective = m[2] ? parseDirective(m[2]) : null;
          if (s.tests.length === 0) flushToOwner();
        } else {
          s.errors.push(`line ${l.no}: a second plan ignored: ${l.content}`);
          pending.push(l);
        }
        continue;
      }
      case 'bail': {
        cur.next();
        s.bail = BAIL_RE.exec(l.content)![1].trim();
        flushToOwner();
        s.diagnostics.push(l.content);
        continue;
      }
      case 'result': {
        const r = parseResultLine(l.content)!;
        if (opts.sameIndent && ((s.plan !== null && s.tests.length >= s.plan) || (s.name !== null && r.name === s.name))) {
          return finish(s, pending, base);
        }
        cur.next();
        const split = splitDiagnostics(pending, base);
        pending = [];
        const expected = s.tests.length + 1;
        const t = newTest({
          name: r.name,
          number: r.number,
          status: statusOf(r),
          reported: r.ok ? 'ok' : 'not ok',
          directive: r.directive,
          comment: r.comment,
          diagnostics: split.diagnostics,
          line: l.no,
        });
        if (r.number !== expected) t.errors.push(`line ${l.no}: expected test number ${expected} but found ${r.number}`);
        if (split.nested) {
          adoptNested(t, split.nested);
          escalate(t);
        }
        s.tests.push(t);
        lastLeaf = t;
        continue;
      }
    }
  }
  return finish(s, pending, base);
}

/** An unindented `# Subtest:` (or `KTAP version`) block at our level, and the result line that closes it. */
function sameIndentChild(cur: Cursor, base: number, leading: ParsedLine[], expected: number): KtapTest {
  const child = parseStream(cur, base, { document: false, sameIndent: true });
  const next = cur.peek();
  const closing = next && kindOf(next) === 'result' && next.indent <= base ? parseResultLine(next.content) : null;
  return groupTest(child, closing, closing ? cur.next().no : null, expected, leading, base);
}

/** A test with subtests: its nested stream, and its result line (null: it never reported). */
function groupTest(child: Stream, r: ResultLine | null, line: number | null, expected: number, leading: ParsedLine[], base: number): KtapTest {
  const t = newTest({
    name: r?.name || child.name || '',
    number: r ? r.number : expected,
    plan: child.plan,
    subtests: child.tests,
    diagnostics: [...splitDiagnostics(leading, base).diagnostics, ...child.diagnostics],
    errors: [...child.errors],
    line: line ?? child.firstLine,
  });
  if (r) {
    t.status = statusOf(r);
    t.reported = r.ok ? 'ok' : 'not ok';
    t.directive = r.directive;
    t.comment = r.comment;
    if (r.number !== expected) t.errors.push(`line ${line}: expected test number ${expected} but found ${r.number}`);
    if (child.name !== null && r.name && r.name !== child.name) {
      t.errors.push(`line ${line}: result "${r.name}" closes the subtest "${child.name}"`);
    }
    escalate(t);
  } else {
    t.status = 'crashed';
    t.errors.push(`no result line for ${t.name ? `"${t.name}"` : `test ${expected}`}: it never finished`);
  }
  return t;
}

/** A parent is at least as bad as its worst subtest. */
function escalate(t: KtapTest): void {
  const below = deriveStatus(t.subtests);
  if (below && isFailing(below)) t.status = worse(t.status, below);
}

/** End of a stream: planned tests that never came are crashed (or not run, after a bail-out). */
function finish(s: Stream, pending: ParsedLine[], base: number): Stream {
  const missing = s.plan !== null ? s.plan - s.tests.length : 0;
  if (missing > 0) {
    const split = splitDiagnostics(pending, base);
    const bailed = s.bail !== null;
    for (let k = 0; k < missing; k++) {
      const n = s.tests.length + 1;
      const t = newTest({ number: n, status: bailed ? 'error' : 'crashed' });
      if (bailed) t.diagnostics.push(`not run: Bail out!${s.bail ? ` ${s.bail}` : ''}`);
      if (k === 0) {
        // What was printed after the last result is the story of the test that never finished.
        if (split.kselftestName) t.name = split.kselftestName;
        append(t.diagnostics, split.diagnostics);
        if (split.nested) adoptNested(t, split.nested);
      }
      s.tests.push(t);
    }
    s.errors.push(
      bailed
        ? `${missing} planned test(s) not run after Bail out!${s.bail ? ` (${s.bail})` : ''}`
        : `${missing} planned test(s) never reported: the output ends early`,
    );
  } else {
    for (const l of pending) s.diagnostics.push(dedent(l.text, base));
    if (s.plan !== null && missing < 0) s.errors.push(`${s.tests.length} results, but the plan announced ${s.plan}`);
  }
  if (s.tests.length === 0 && !(s.plan === 0 && s.planDirective?.kind === 'SKIP')) s.errors.push('0 tests run');
  return s;
}

/** The top level: one or more TAP documents (run_kselftest.sh prints one per collection). */
function parseDocuments(lines: ParsedLine[]): Stream[] {
  const cur = new Cursor(lines);
  const docs: Stream[] = [];
  while (!cur.done()) {
    const before = cur.i;
    docs.push(parseStream(cur, 0, { document: true, sameIndent: false }));
    if (cur.i === before) cur.next(); // never loop on a line nobody takes
  }
  return docs;
}

const COLLECTION_RE = /^selftests: ([^:]+): /;

function documentTest(s: Stream, n: number): KtapTest {
  const collections = new Set(s.tests.filter((t) => t.name).map((t) => COLLECTION_RE.exec(t.name)?.[1] ?? ''));
  const name = collections.size === 1 && !collections.has('') ? [...collections][0] : `document ${n}`;
  return streamTest(s, name, n);
}

function streamTest(s: Stream, name: string, n: number | null): KtapTest {
  const t = newTest({
    name,
    number: n,
    plan: s.plan,
    subtests: s.tests,
    diagnostics: s.diagnostics,
    errors: s.errors,
    line: s.firstLine,
    directive: s.planDirective,
  });
  const derived = deriveStatus(s.tests);
  t.status = derived ?? (s.plan === 0 && s.planDirective?.kind === 'SKIP' ? 'skip' : 'error');
  return t;
}

function collectProblems(t: KtapTest, path: string[], out: KtapProblem[]): void {
  const here = [...path, displayName(t)];
  const label = here.length > 1 ? here.slice(1).join(' / ') : here[0];
  for (const e of t.errors) out.push({ test: label, message: e });
  for (const c of t.subtests) collectProblems(c, here, out);
}

/** Parses a captured console, dmesg or run_kselftest.sh output. */
export function parseKtap(input: string): KtapResult {
  const lines = consoleLines(input);
  const start = findStart(lines);
  const executor = lines.filter((l) => /kunit executor: /.test(l.text)).map((l) => l.content);
  if (!start) {
    const root = newTest({ name: 'main', status: 'error', diagnostics: executor, errors: ['no KTAP/TAP output found'] });
    return { found: false, format: null, version: null, root, counts: countTests(root), problems: [{ test: 'main', message: root.errors[0] }] };
  }
  const body: ParsedLine[] = stripPrefix(lines.slice(start.index), start.prefix);
  const end = body.findIndex((l, i) => i > 0 && END_RE.test(l.text));
  if (end >= 0) for (let i = end; i < body.length; i++) body[i] = { ...body[i], inert: true };
  const docs = parseDocuments(body);
  const first = docs[0];
  let root: KtapTest;
  if (docs.length === 1) {
    root = streamTest(first, 'main', null);
  } else {
    root = newTest({ name: 'main', subtests: docs.map((d, i) => documentTest(d, i + 1)), line: first.firstLine });
    root.status = deriveStatus(root.subtests) ?? 'error';
  }
  if (executor.length) root.diagnostics = [...executor, ...root.diagnostics];
  const problems: KtapProblem[] = [];
  collectProblems(root, [], problems);
  return {
    found: true,
    format: first.header?.format ?? null,
    version: first.header?.version ?? null,
    root,
    counts: countTests(root),
    problems,
  };
}
