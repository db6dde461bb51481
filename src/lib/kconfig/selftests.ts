// SPDX-License-Identifier: GPL-2.0-only
/**
 * What the kselftests we run need from Kconfig: each selftest directory carries its own
 * `config` fragment (tools/testing/selftests/<target>/config). Targets were renamed across
 * releases (vm became mm in 6.3), so a target is looked up under its other name too.
 */
import { usageError } from '../errors.js';
import { parseFragment, type Fragment } from './fragments.js';

export const SELFTESTS_DIR = 'tools/testing/selftests';
export const selftestConfigPath = (target: string) => `${SELFTESTS_DIR}/${target}/config`;

/** Other names of a target in older or newer trees. */
export const TARGET_ALIASES: Record<string, string[]> = { mm: ['vm'], vm: ['mm'] };

export interface TargetLookup {
  /** What the user asked for. */
  asked: string;
  /** The directory name in this tree. */
  target: string;
  /** Whether the directory has a config file. */
  hasConfig: boolean;
}

/** Finds each target's directory in a tree; pure given the two probes. Unknown targets are a usage error. */
export function resolveTargets(
  asked: readonly string[],
  probe: { isDir(rel: string): boolean; isFile(rel: string): boolean },
  treeLabel: string,
): TargetLookup[] {
  return asked.map((a) => {
    const target = [a, ...(TARGET_ALIASES[a] ?? [])].find((t) => probe.isDir(`${SELFTESTS_DIR}/${t}`));
    if (!target) {
      const hint = a === 'dax' ? ' The dax target is added by the series: apply it first (kseries apply).' : '';
      throw usageError(`selftest target "${a}" does not exist in ${treeLabel} (no ${SELFTESTS_DIR}/${a}/)`, `Check the target name.${hint}`);
    }
    return { asked: a, target, hasConfig: probe.isFile(selftestConfigPath(target)) };
  });
}

/** The fragment of one target, named "selftest-<target>". */
export const selftestFragment = (target: string, srcPath: string, text: string): Fragment =>
  parseFragment(`selftest-${target}`, srcPath, text);
