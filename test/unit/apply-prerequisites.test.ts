// SPDX-License-Identifier: GPL-2.0-only
/**
 * Prerequisites named (issue 16, point 2), on small repositories built here: a stable-like
 * history v6.1.10 → v6.1.11 ("dax/kmem: Skip ranges that were never added", which adds a
 * check to remove()) → v6.1.12 (unrelated); the series is made on v6.1.12 and changes the
 * line right after the check, so its hunk's context holds the check's last lines. Applied on
 * v6.1.10, the hunk fails, and the report says which lines the target lacks, in words, and
 * names v6.1.11's commit (git log -S over v6.1.10...v6.1.12) when the tree has that history.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyTree } from '../../src/lib/apply/apply.js';
import { renderApplyReport } from '../../src/lib/apply/render.js';
import type { ApplyReport, HunkCheck } from '../../src/lib/apply/report.js';
import { ExecaRunner } from '../../src/lib/exec/runner.js';
import { addTree } from '../../src/lib/trees/import.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { kernelMakefile } from '../helpers/fake-kernel.js';

const KMEM = 'drivers/dax/kmem.c';
const BEFORE = [
  '// SPDX-License-Identifier: GPL-2.0',
  '#include <linux/dax.h>',
  '',
  'static void dev_dax_kmem_remove(struct dev_dax *dev_dax)',
  '{',
  '\tint i, success = 0;',
  '',
  '\tfor (i = 0; i < dev_dax->nr_range; i++) {',
  '\t\trc = dax_kmem_range(dev_dax, i, &range);',
  '\t\tif (rc)',
  '\t\t\tcontinue;',
  '',
  '\t\trc = remove_memory(range.start, range_len(&range));',
  '\t\tif (rc == 0) {',
  '\t\t\tsuccess++;',
  '\t\t\tcontinue;',
  '\t\t}',
  '\t}',
  '}',
];
const CHECK = ['\t\t/* range was never added during probe */', '\t\tif (!data->res[i]) {', '\t\t\tsuccess++;', '\t\t\tcontinue;', '\t\t}', ''];
/** v6.1.11 on: the check after line 12 (the blank line after "if (rc) continue;"): base lines 13-18 */
const AFTER = [...BEFORE.slice(0, 12), ...CHECK, ...BEFORE.slice(12)];
const FIX_SUBJECT = 'dax/kmem: Skip ranges that were never added';

let env: IsolatedEnv;
beforeEach(() => {
  env = isolate();
});
afterEach(() => env.cleanup());

function write(repo: string, rel: string, text: string) {
  mkdirSync(join(repo, rel, '..'), { recursive: true });
  writeFileSync(join(repo, rel), text);
}
const text = (l: string[]) => `${l.join('\n')}\n`;
function commit(repo: string, msg: string): string {
  gitSync(repo, ['add', '-A']);
  gitSync(repo, ['commit', '-q', '-m', msg]);
  return gitSync(repo, ['rev-parse', 'HEAD']).trim();
}
function kernelAt(repo: string, sublevel: number, kmem: string[]) {
  write(repo, 'Makefile', kernelMakefile(sublevel));
  write(repo, 'Kconfig', 'mainmenu "Linux"\n');
  write(repo, KMEM, text(kmem));
}

/** The stable-like repository and the series made on v6.1.12; returns the fix commit. */
function makeHistory(root: string): { repo: string; patches: string; fix: string } {
  const repo = join(root, 'linux');
  mkdirSync(repo, { recursive: true });
  gitSync(repo, ['init', '-q', '-b', 'linux-6.1.y']);
  kernelAt(repo, 10, BEFORE);
  commit(repo, 'Linux 6.1.10');
  gitSync(repo, ['tag', 'v6.1.10']);
  write(repo, KMEM, text(AFTER));
  const fix = commit(repo, `${FIX_SUBJECT}\n\nremove() must not remove memory that probe never added.`);
  write(repo, 'Makefile', kernelMakefile(11));
  commit(repo, 'Linux 6.1.11');
  gitSync(repo, ['tag', 'v6.1.11']);
  write(repo, 'README', 'unrelated\n');
  write(repo, 'Makefile', kernelMakefile(12));
  commit(repo, 'Linux 6.1.12');
  gitSync(repo, ['tag', 'v6.1.12']);
  gitSync(repo, ['checkout', '-q', '-b', 'topic']);
  write(repo, KMEM, text(AFTER.map((l) => l.replace('rc = remove_memory(', 'rc = offline_and_remove_memory('))));
  commit(repo, 'dax/kmem: Offline memory before removing it\n\nSigned-off-by: Test Author <author@example.org>');
  const patches = join(root, 'patches');
  const dir = join(patches, 'v6.1');
  mkdirSync(dir, { recursive: true });
  gitSync(repo, ['format-patch', '-q', '--base=v6.1.12', '-o', dir, 'v6.1.12..topic']);
  writeFileSync(join(dir, 'series'), `${readdirSync(dir).filter((f) => f.endsWith('.patch')).join('\n')}\n`);
  gitSync(repo, ['checkout', '-q', 'linux-6.1.y']);
  return { repo, patches, fix };
}

/** A repository of one commit with v6.1.10's files, as kseries imports a tarball. */
function makeImported(root: string): string {
  const repo = join(root, 'imported');
  mkdirSync(repo, { recursive: true });
  gitSync(repo, ['init', '-q', '-b', 'main']);
  kernelAt(repo, 10, BEFORE);
  commit(repo, 'Linux 6.1.10 (imported)');
  return repo;
}

async function applyOn(source: string, patches: string, ref?: string): Promise<ApplyReport> {
  const t = await addTree(new ExecaRunner(), env.paths, { name: 'k', source, ref });
  return applyTree(env.paths, t, { patchesRoot: patches });
}

const failing = (r: ApplyReport): HunkCheck[] => r.conflict!.files.find((f) => f.path === KMEM)!.hunks.filter((h) => h.status === 'fails');
const LACKING = 'the series was made on a tree that has these lines; the target lacks them: a change between the two kernels, probably a fix the target does not have';

describe('apply: prerequisites named in the conflict report', () => {
  it('a tree with history: the lines the target lacks, in words, and the commit that added them (git log -S)', async () => {
    const h = makeHistory(env.root);
    const r = await applyOn(h.repo, h.patches, 'v6.1.10');
    expect(r.status).toBe('conflict');
    const [hunk, ...more] = failing(r);
    expect(more).toEqual([]);
    // the hunk: 3 lines of context before the changed line 19, i.e. lines 16-22 of v6.1.12's kmem.c
    expect(hunk).toMatchObject({ oldStart: 16, oldLines: 7 });
    // the repository has v6.1.12's kmem.c (the preimage blob): the whole check is shown, not only the hunk's part
    expect(hunk.context).toEqual({
      from: 'base-file',
      // where the hunk's first line would be in v6.1.10's kmem.c: 6 lines earlier
      targetAt: 10,
      differences: [
        {
          kind: 'lacking',
          base: CHECK.map((t, i) => ({ line: 13 + i, text: t })),
          target: [],
          targetAt: 13,
          explanation: LACKING,
          commits: [{ commit: h.fix, subject: FIX_SUBJECT, in: 'base' }],
          commitsNote: null,
        },
      ],
      shift: null,
    });
    const out = renderApplyReport(r);
    expect(out).toContain(`        ${LACKING}:\n          base    13 | \t\t/* range was never added during probe */\n          base    14 | \t\tif (!data->res[i]) {\n`);
    expect(out).toContain(`          only the series' base has ${h.fix.slice(0, 12)} ${FIX_SUBJECT}\n`);
  });

  it('an imported tree (one commit): the lines from the hunk alone, and in words why no commit is named', async () => {
    const h = makeHistory(env.root);
    const r = await applyOn(makeImported(env.root), h.patches);
    expect(r.status).toBe('conflict');
    const [hunk] = failing(r);
    // no preimage blob here: only the hunk's own lines are compared; its first two are the check's end
    expect(hunk.context).toMatchObject({
      from: 'hunk',
      targetAt: 10,
      differences: [{ kind: 'lacking', base: [{ line: 16, text: '\t\t\tcontinue;' }, { line: 17, text: '\t\t}' }], target: [], targetAt: 12, explanation: LACKING, commits: [] }],
    });
    const note = hunk.context!.differences[0].commitsNote!;
    expect(note).toMatch(/^no commit named: the tree has no history before the target [0-9a-f]{12} \(an imported tarball is a single commit\)/);
    const out = renderApplyReport(r);
    expect(out).toContain(`          ${note}\n`);
    expect(out).toContain("(compared with the hunk's own lines only: the tree does not have the series' base file, blob ");
  });

  it("a tree with history but without the series' base-commit says so", async () => {
    const h = makeHistory(env.root);
    const repo = makeImported(env.root);
    write(repo, 'README', 'a later commit\n');
    commit(repo, 'more history');
    const r = await applyOn(repo, h.patches);
    const [hunk] = failing(r);
    expect(hunk.context!.differences[0]).toMatchObject({ kind: 'lacking', commits: [] });
    expect(hunk.context!.differences[0].commitsNote).toMatch(
      /^no commit named: the tree has neither the series' base-commit [0-9a-f]{12} nor a version tag the series file names, so there is no range of history to search$/,
    );
  });

  it("a tree with history but without the series' base-commit: the version tag the series file names ends the range", async () => {
    // the series made on an import of v6.1.12 (one commit, as kseries imports a tarball) and exported by kseries:
    // its base-commit is unknown to the stable-like repository, its series file names v6.1.12
    const h = makeHistory(env.root);
    const imp = join(env.root, 'import-6.1.12');
    mkdirSync(imp, { recursive: true });
    gitSync(imp, ['init', '-q', '-b', 'main']);
    kernelAt(imp, 12, AFTER);
    commit(imp, 'Linux 6.1.12 (imported)');
    gitSync(imp, ['tag', 'v6.1.12']);
    const dir = join(env.root, 'exported', 'v6.1');
    mkdirSync(dir, { recursive: true });
    gitSync(imp, ['fetch', '-q', h.repo, 'topic']);
    gitSync(imp, ['checkout', '-q', '-b', 'topic']);
    gitSync(imp, ['cherry-pick', 'FETCH_HEAD']);
    gitSync(imp, ['format-patch', '-q', '--base=v6.1.12', '-o', dir, 'v6.1.12..topic']);
    const files = readdirSync(dir).filter((f) => f.endsWith('.patch'));
    writeFileSync(join(dir, 'series'), `# v6.1: carried by kseries from v6.1 (k61, v6.1.12)\n# base-commit: ${gitSync(imp, ['rev-parse', 'v6.1.12']).trim()}\n${files.join('\n')}\n`);
    const r = await applyOn(h.repo, join(env.root, 'exported'), 'v6.1.10');
    expect(r.status).toBe('conflict');
    expect(r.base.ladder[0]).toMatchObject({ step: 'base-commit', result: 'unavailable' });
    const [hunk] = failing(r);
    expect(hunk.context!.differences[0]).toMatchObject({ kind: 'lacking', commits: [{ commit: h.fix, subject: FIX_SUBJECT, in: 'base' }], commitsNote: null });
  });
});
