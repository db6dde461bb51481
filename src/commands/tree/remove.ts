// SPDX-License-Identifier: GPL-2.0-only
import { Args, Flags } from '@oclif/core';
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { noWaitFlag } from '../../lib/cli/no-wait.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { removeTree } from '../../lib/trees/remove.js';

export default class TreeRemove extends KseriesCommand {
  static override summary = 'Unregister a tree and delete what kseries created for it.';
  static override description = withExitCodes(
    'Imported and cloned repositories are deleted (unless --keep-files). For a user\'s own git tree only kseries\' ' +
      'worktrees and refs/heads/kseries/* branches of this tree are removed; the user\'s checkout is untouched.',
  );
  static override args = { name: Args.string({ required: true }) };
  static override flags = { 'keep-files': Flags.boolean({ summary: 'Keep the imported repository on disk' }), ...noWaitFlag };

  async run(): Promise<{ name: string; removed: string[] }> {
    const { args, flags } = await this.parse(TreeRemove);
    const r = await removeTree(this.state, args.name, { keepFiles: flags['keep-files'] });
    this.out(`removed tree ${args.name}${r.removed.length ? `:\n  ${r.removed.join('\n  ')}` : ''}`);
    return { name: args.name, removed: r.removed };
  }
}
