// SPDX-License-Identifier: GPL-2.0-only
/**
 * Which trees `kseries ci` runs on (pure): --tree NAME…, --all, or the default — on a fresh
 * machine (no tree registered) k61, registered from debian:6.1 by the run itself; with
 * trees registered, k61 when it is one of them, else a usage error naming them.
 */
import { usageError } from '../errors.js';
import type { TreeInput } from './plan.js';

export const DEFAULT_TREE = { name: 'k61', source: 'debian:6.1' } as const;

export function chooseTrees(registered: readonly string[], o: { tree?: readonly string[]; all?: boolean }): TreeInput[] {
  const known = (names: readonly string[]) => names.map((name) => ({ name, register: null }));
  if (o.tree?.length) {
    const unknown = o.tree.filter((t) => !registered.includes(t));
    if (unknown.length) {
      throw usageError(
        `unknown tree${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')}`,
        registered.length ? `Registered trees: ${registered.join(', ')}.` : `No tree is registered: run kseries ci without --tree to register ${DEFAULT_TREE.name} from ${DEFAULT_TREE.source}, or kseries tree add NAME --source ...`,
      );
    }
    return known([...new Set(o.tree)]);
  }
  if (!registered.length) return [{ name: DEFAULT_TREE.name, register: { source: DEFAULT_TREE.source } }];
  if (o.all) return known(registered);
  if (registered.includes(DEFAULT_TREE.name)) return known([DEFAULT_TREE.name]);
  throw usageError(`which tree? ${DEFAULT_TREE.name} is not registered, and ${registered.length} other tree${registered.length > 1 ? 's are' : ' is'}: ${registered.join(', ')}`, 'Give --tree NAME (repeatable) or --all.');
}
