// SPDX-License-Identifier: GPL-2.0-only
/** The kconfig stage: the kconfig apply service (base + fragments, verified), one test case per requested symbol. */
import { kconfigApply } from '../../kconfig/apply.js';
import type { KconfigReport } from '../../kconfig/report.js';
import type { SymbolResult } from '../../kconfig/verify.js';
import type { TestCase } from '../../report/model.js';
import type { StageImpl } from '../executor.js';
import { recorded } from '../recording.js';
import { copyLog, plural, type StageDeps } from './deps.js';

const shown = (v: string | null) => (v === null ? '(absent)' : v);

function caseOf(s: SymbolResult): TestCase {
  const c: TestCase = { name: `CONFIG_${s.symbol}`, classname: `kconfig.${s.source}`, status: 'pass' };
  if (s.status === 'dropped') {
    c.status = 'fail';
    c.message = `requested ${s.requested}, final ${shown(s.actual)}: ${s.reason?.text ?? 'dropped'}`;
    c.details = `CONFIG_${s.symbol}=${s.requested} (from ${s.source}) -> ${shown(s.actual)}\n${s.reason?.text ?? ''}`;
  } else if (s.status === 'unknown-not-set') {
    c.status = 'skip';
    c.message = s.reason?.text ?? 'no such symbol in this tree';
  }
  return c;
}

export function kconfigSummary(r: KconfigReport): string {
  const s = r.summary;
  if (!r.ok) {
    const dropped = r.results.filter((x) => x.status === 'dropped').map((x) => `CONFIG_${x.symbol}`);
    return `${plural(s.dropped, 'requested symbol')} dropped: ${dropped.join(', ')}`;
  }
  return `${s.ok} of ${plural(s.requested, 'requested symbol')} hold (${r.base} + ${r.layers.map((l) => l.name).join(', ')})`;
}

export const kconfigStage =
  (deps: StageDeps): StageImpl =>
  async (ctx) => {
    const k = ctx.plan.options.kconfig;
    const { value: o, commands } = await recorded(deps.runner, (runner) =>
      kconfigApply(runner, deps.paths, {
        tree: ctx.tree.tree,
        base: k.base,
        arch: 'x86_64',
        profile: 'default',
        dryRun: false,
        feature: true,
        platform: k.platform,
        persist: k.persist,
        debug: false,
        module: false,
        selftests: k.selftests,
        fragments: [],
        onStep: ctx.output,
      }),
    );
    const r = o.report!;
    for (const w of o.warnings) ctx.output(`warning: ${w}`);
    return {
      results: [
        {
          name: 'kconfig',
          status: r.ok ? 'pass' : 'fail',
          durationMs: 0,
          summary: kconfigSummary(r),
          logs: [...copyLog(ctx, o.plan.logPath, 'kconfig.log'), ...copyLog(ctx, o.plan.reportPath, 'kconfig-report.json')],
          command: null,
          commands,
          tests: r.results.map(caseOf),
        },
      ],
    };
  };
