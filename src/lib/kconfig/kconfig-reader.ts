// SPDX-License-Identifier: GPL-2.0-only
/**
 * A small Kconfig reader: walks a tree's Kconfig files from the top, following
 * `source` (with $(SRCARCH) and friends expanded), and records symbols, choices,
 * if/menu/choice dependencies, selects and defaults. It reads through a callback,
 * so it is pure and runs on in-memory fixtures as well as on real trees.
 * It does not evaluate defaults or macros: it answers "what does S depend on".
 */
import { posix } from 'node:path';
import type { ChoiceInfo, Definition, Inherited, KconfigDb, ReverseDep, SymbolType } from './kconfig-db.js';
import { kconfigLines, type KLine } from './kconfig-lines.js';
import { andAll, parseExpr, type Expr } from './expr.js';

/** Reads a file relative to the source tree; null when it does not exist. */
export type ReadFile = (path: string) => string | null;

export interface ReaderOptions {
  /** arch/<srcarch>/Kconfig is read: "x86" for ARCH=x86_64. */
  srcarch: string;
  /** $(ARCH), e.g. "x86_64". */
  arch: string;
  /** Other $(NAME) macros to expand (e.g. KERNELVERSION). */
  macros?: Record<string, string>;
  /** The top file (default "Kconfig"). */
  top?: string;
}

const TYPES: Record<string, SymbolType> = { bool: 'bool', boolean: 'bool', tristate: 'tristate', string: 'string', int: 'int', hex: 'hex' };
const IGNORED = new Set(['mainmenu', 'option', 'modules', 'optional', 'transitional', 'allnoconfig_y', 'defconfig_list', 'visible', 'env']);

/** Splits `VALUE if COND` at a top-level `if` (outside quotes and parentheses). */
export function splitIf(s: string): { head: string; cond: string | null } {
  let q: string | null = null;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '\\') i++;
      else if (c === q) q = null;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /\s/.test(c) && /^\sif\s/.test(s.slice(i, i + 4))) {
      return { head: s.slice(0, i).trim(), cond: s.slice(i + 4).trim() };
    }
  }
  return { head: s.trim(), cond: null };
}

/** Reads a leading quoted string: `"text" rest`. */
function quoted(s: string): { text: string; rest: string } | null {
  const m = /^(["'])((?:\\.|(?!\1).)*)\1\s*(.*)$/.exec(s.trim());
  return m ? { text: m[2].replace(/\\(.)/g, '$1'), rest: m[3] } : null;
}

interface Block {
  kind: 'if' | 'menu' | 'choice';
  label: string;
  file: string;
  line: number;
  /** The `if` condition, or the menu's/choice's `depends on` lines. */
  deps: Expr[];
  choice?: number;
}

type Entry = { kind: 'def'; def: Definition } | { kind: 'choice'; choice: ChoiceInfo } | { kind: 'block'; block: Block } | { kind: 'comment' };

export function readKconfig(read: ReadFile, opts: ReaderOptions): KconfigDb {
  const db: KconfigDb = { symbols: new Map(), choices: [], selectedBy: new Map(), files: [], issues: [] };
  const macros: Record<string, string> = { SRCARCH: opts.srcarch, ARCH: opts.arch, srctree: '.', ...(opts.macros ?? {}) };
  const stack: Block[] = [];
  let entry: Entry | null = null;
  const issue = (l: { file: string; line: number }, message: string) => db.issues.push({ file: l.file, line: l.line, message });
  const expand = (s: string) => s.replace(/\$\(([A-Za-z0-9_]+)\)/g, (m, n: string) => macros[n] ?? m);

  const expr = (l: KLine, text: string): Expr | null => {
    try {
      return parseExpr(text);
    } catch (err) {
      issue(l, (err as Error).message);
      return null;
    }
  };
  const cond = (l: KLine, c: string | null) => (c === null ? null : expr(l, c));

  const inheritedNow = (): Inherited[] =>
    stack.filter((b) => b.deps.length).map((b) => ({ kind: b.kind, label: b.label, expr: andAll(b.deps), file: b.file, line: b.line }));

  const setType = (def: Definition, t: SymbolType) => {
    def.type = t;
    const s = db.symbols.get(defName.get(def)!)!;
    if (s.type === 'unknown') s.type = t;
  };
  const defName = new Map<Definition, string>();

  const startConfig = (l: KLine, kind: 'config' | 'menuconfig') => {
    const name = l.rest.trim();
    if (!/^[A-Za-z0-9_]+$/.test(name)) {
      issue(l, `bad symbol name "${name}"`);
      entry = { kind: 'comment' };
      return;
    }
    const inChoice = [...stack].reverse().find((b) => b.kind === 'choice' || b.kind === 'menu');
    const choice = inChoice?.kind === 'choice' ? (inChoice.choice ?? null) : null;
    const def: Definition = {
      file: l.file,
      line: l.line,
      kind,
      type: 'unknown',
      prompts: [],
      dependsOn: [],
      inherited: inheritedNow(),
      defaults: [],
      selects: [],
      ranges: [],
      choice,
    };
    let s = db.symbols.get(name);
    if (!s) db.symbols.set(name, (s = { name, type: 'unknown', definitions: [] }));
    s.definitions.push(def);
    defName.set(def, name);
    if (choice !== null && !db.choices[choice].members.includes(name)) db.choices[choice].members.push(name);
    entry = { kind: 'def', def };
  };

  const attribute = (l: KLine) => {
    const kw = l.keyword;
    const rest = l.rest;
    const e = entry;
    if (kw === 'depends') {
      const m = /^on\s+(.*)$/.exec(rest);
      const x = m ? expr(l, m[1]) : null;
      if (!m) issue(l, 'expected "depends on"');
      if (!x) return;
      if (e?.kind === 'def') e.def.dependsOn.push(x);
      else if (e?.kind === 'choice') e.choice.dependsOn.push(x);
      else if (e?.kind === 'block') e.block.deps.push(x);
      else if (!e) issue(l, '"depends on" outside an entry');
      return;
    }
    if (e?.kind === 'comment') return; // a comment's or bad entry's attributes
    if (TYPES[kw] || kw === 'prompt' || kw === 'def_bool' || kw === 'def_tristate') {
      const { head, cond: c } = splitIf(rest);
      if (kw === 'def_bool' || kw === 'def_tristate') {
        const v = expr(l, head);
        if (e?.kind === 'def') {
          setType(e.def, kw === 'def_bool' ? 'bool' : 'tristate');
          if (v) e.def.defaults.push({ value: v, cond: cond(l, c) });
        }
        return;
      }
      const q = head ? quoted(head) : null;
      if (head && !q) issue(l, `expected a quoted prompt: ${head}`);
      const prompt = q ? { text: q.text, cond: cond(l, c) } : null;
      if (e?.kind === 'def') {
        if (TYPES[kw]) setType(e.def, TYPES[kw]);
        if (prompt) e.def.prompts.push(prompt);
      } else if (e?.kind === 'choice') {
        if (!prompt) return;
        e.choice.prompt = prompt.text;
        const block = stack.find((b) => b.choice === e.choice.id);
        if (block) block.label = `choice "${prompt.text}"`;
      }
      return;
    }
    if (kw === 'default') {
      const { head, cond: c } = splitIf(rest);
      const v = expr(l, head);
      if (!v) return;
      if (e?.kind === 'def') e.def.defaults.push({ value: v, cond: cond(l, c) });
      else if (e?.kind === 'choice') e.choice.defaults.push({ value: v, cond: cond(l, c) });
      return;
    }
    if (kw === 'select' || kw === 'imply') {
      const { head, cond: c } = splitIf(rest);
      if (e?.kind !== 'def') return issue(l, `"${kw}" outside a config entry`);
      const sel = { symbol: head, cond: cond(l, c), imply: kw === 'imply' };
      e.def.selects.push(sel);
      const list = db.selectedBy.get(head) ?? [];
      const rd: ReverseDep = { by: defName.get(e.def)!, cond: sel.cond, imply: sel.imply, file: l.file, line: l.line };
      list.push(rd);
      db.selectedBy.set(head, list);
      return;
    }
    if (kw === 'range') {
      const { head, cond: c } = splitIf(rest);
      const [lo, hi] = head.split(/\s+/);
      if (e?.kind === 'def') e.def.ranges.push({ lo, hi, cond: cond(l, c) });
      return;
    }
    if (IGNORED.has(kw)) return;
    issue(l, `unknown statement "${kw}"`);
  };

  const closeBlock = (l: KLine, kind: Block['kind']) => {
    entry = null;
    const top = stack[stack.length - 1];
    if (!top || top.kind !== kind) return issue(l, `"end${kind}" without "${kind}"`);
    stack.pop();
  };

  const visiting: string[] = [];
  const walk = (file: string, optional: boolean, from?: KLine) => {
    const text = read(file);
    if (text === null) {
      if (!optional) issue(from ?? { file, line: 0 }, `sourced file ${file} does not exist`);
      return;
    }
    if (visiting.includes(file)) return issue(from ?? { file, line: 0 }, `recursive source of ${file}`);
    visiting.push(file);
    db.files.push(file);
    const depth = stack.length;
    for (const l of kconfigLines(text, file)) {
      const kw = l.keyword;
      if (kw.includes('$(') || /^(:=|\+=|=)/.test(l.rest) || /[:+]?=$/.test(kw)) continue; // macro definitions and calls
      l.rest = expand(l.rest);
      switch (kw) {
        case 'config':
        case 'menuconfig':
          startConfig(l, kw);
          break;
        case 'choice': {
          const id = db.choices.length;
          const name = l.rest.trim() || null;
          const ch: ChoiceInfo = { id, name, prompt: null, file: l.file, line: l.line, dependsOn: [], inherited: inheritedNow(), defaults: [], members: [] };
          db.choices.push(ch);
          const block: Block = { kind: 'choice', label: `choice${name ? ` ${name}` : ''}`, file: l.file, line: l.line, deps: ch.dependsOn, choice: id };
          stack.push(block);
          entry = { kind: 'choice', choice: ch };
          break;
        }
        case 'endchoice':
          closeBlock(l, 'choice');
          break;
        case 'menu': {
          const q = quoted(l.rest);
          const block: Block = { kind: 'menu', label: `menu "${q?.text ?? l.rest}"`, file: l.file, line: l.line, deps: [] };
          stack.push(block);
          entry = { kind: 'block', block };
          break;
        }
        case 'endmenu':
          closeBlock(l, 'menu');
          break;
        case 'if': {
          const x = expr(l, l.rest);
          stack.push({ kind: 'if', label: `if ${l.rest}`, file: l.file, line: l.line, deps: x ? [x] : [] });
          entry = null;
          break;
        }
        case 'endif':
          closeBlock(l, 'if');
          break;
        case 'comment':
          entry = { kind: 'comment' };
          break;
        case 'source':
        case 'osource':
        case 'rsource':
        case 'orsource': {
          entry = null;
          const q = quoted(l.rest);
          if (!q) {
            issue(l, `bad ${kw} line`);
            break;
          }
          const path = kw === 'rsource' || kw === 'orsource' ? posix.join(posix.dirname(file), q.text) : posix.normalize(q.text);
          walk(path, kw.startsWith('o'), l);
          break;
        }
        default:
          attribute(l);
      }
    }
    if (stack.length > depth) issue({ file, line: 0 }, `${stack.length - depth} unclosed block(s) at the end of ${file}`);
    visiting.pop();
  };

  walk(opts.top ?? 'Kconfig', false);
  return db;
}
