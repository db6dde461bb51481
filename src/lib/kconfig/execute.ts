// SPDX-License-Identifier: GPL-2.0-only
/**
 * Running an apply plan: each step through the Runner, each command line and its output
 * appended to BUILD/kconfig-apply.log. A step that fails is an infrastructure error
 * (exit 3) quoting the end of its output.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { infraError } from '../errors.js';
import type { Runner } from '../exec/runner.js';
import { describe } from '../exec/runner.js';
import type { ApplyPlan } from './plan.js';

export interface StepResult {
  title: string;
  command: string;
  exitCode: number;
  /** stdout and stderr, as the step printed them. */
  output: string;
  durationMs: number;
}

export interface ExecuteOptions {
  /** Called before each step (progress). */
  onStep?: (title: string, command: string) => void;
}

export async function executePlan(runner: Runner, plan: ApplyPlan, opts: ExecuteOptions = {}): Promise<StepResult[]> {
  mkdirSync(plan.buildDir, { recursive: true });
  writeFileSync(plan.logPath, `# kseries kconfig apply, ${new Date().toISOString()}\n`);
  const results: StepResult[] = [];
  for (const step of plan.steps) {
    if (step.kind === 'write') {
      const command = `# write ${step.path}`;
      opts.onStep?.(step.title, command);
      appendFileSync(plan.logPath, `\n${command}\n`);
      mkdirSync(dirname(step.path), { recursive: true });
      writeFileSync(step.path, step.content);
      results.push({ title: step.title, command, exitCode: 0, output: '', durationMs: 0 });
      continue;
    }
    const command = describe(step.spec);
    opts.onStep?.(step.title, command);
    appendFileSync(plan.logPath, `\n$ ${command}\n`);
    const lines: string[] = [];
    const r = await runner.run({ ...step.spec, logFile: plan.logPath, onLine: (l) => lines.push(l) });
    const output = lines.join('\n') || [r.stdout, r.stderr].filter(Boolean).join('\n');
    results.push({ title: step.title, command, exitCode: r.exitCode, output, durationMs: r.durationMs });
    if (r.exitCode !== 0 || r.timedOut) {
      const tail = output.trim().split('\n').slice(-8).join('\n');
      throw infraError(
        `${step.title} failed (exit ${r.exitCode}): ${command}\n${tail}`,
        `See ${plan.logPath}; \`kseries doctor\` checks the build tools (make, gcc, flex, bison).`,
        { steps: results },
      );
    }
  }
  return results;
}
