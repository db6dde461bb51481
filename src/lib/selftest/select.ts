// SPDX-License-Identifier: GPL-2.0-only
/**
 * Which scenarios a selftest run boots and which kselftest TARGETS it builds (pure):
 * --scenario names, else every scenario but the generic kselftest one; --kselftests adds
 * that one; targets are the asked ones plus those the chosen scenarios declare.
 */
import { usageError } from '../errors.js';
import { TARGET_RE, type Scenario } from '../scenario/scenario.js';

export const KSELFTEST_SCENARIO = 'kselftest';

export function parseTargets(text: string | undefined): string[] {
  const targets = [...new Set((text ?? '').split(/[\s,]+/).filter(Boolean))];
  for (const t of targets) if (!TARGET_RE.test(t)) throw usageError(`bad kselftest target "${t}"`, 'Use the directory names under tools/testing/selftests ("memory-hotplug,vm").');
  return targets;
}

export function selectRuns<T extends { scenario: Scenario }>(
  available: readonly string[],
  requested: readonly string[] | undefined,
  asked: readonly string[],
  load: (name: string) => T,
): { scenarios: T[]; targets: string[] } {
  let names = requested?.length ? [...requested] : available.filter((n) => n !== KSELFTEST_SCENARIO);
  if (asked.length && !names.includes(KSELFTEST_SCENARIO)) names = requested?.length ? [...names, KSELFTEST_SCENARIO] : [KSELFTEST_SCENARIO];
  if (!names.length) throw usageError('no scenario to run', 'Pass --scenario NAME or --kselftests TARGETS.');
  const scenarios = [...new Set(names)].map(load);
  const targets = [...asked];
  for (const t of scenarios.flatMap((s) => s.scenario.kselftests)) if (!targets.includes(t)) targets.push(t);
  return { scenarios, targets };
}
