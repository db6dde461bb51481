// SPDX-License-Identifier: GPL-2.0-only
import { Args, Flags } from '@oclif/core';
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { noWaitFlag } from '../../lib/cli/no-wait.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { runTasks } from '../../lib/cli/progress.js';
import { addTree } from '../../lib/trees/import.js';
import type { TreeRecord } from '../../lib/trees/registry.js';
import { renderTree } from '../../lib/trees/render.js';

export default class TreeAdd extends KseriesCommand {
  static override summary = 'Register a kernel tree: a local git tree, a git URL, a tarball, or debian:6.1 / debian:6.12.';
  static override description = withExitCodes(
    'Local git trees are used in place and never modified (kseries works in its own worktrees and refs). ' +
      'Tarballs and Debian packages (debian:6.1, debian:6.12, or debian:6.1=VERSION for an older package) are imported ' +
      'into a git repository in the state directory with one commit, tagged vX.Y.Z and debian/VERSION. URLs are cloned (bare).',
  );
  static override examples = [
    '<%= config.bin %> tree add k61 --source debian:6.1',
    '<%= config.bin %> tree add mine --source ~/src/linux --ref v6.1',
    '<%= config.bin %> tree add old --source debian:6.1=6.1.176-1',
  ];
  static override args = { name: Args.string({ required: true, description: 'Name for the tree' }) };
  static override flags = {
    source: Flags.string({ char: 's', required: true, summary: 'git tree path, git URL, tarball, or debian:X.Y[=VERSION]' }),
    ref: Flags.string({ summary: 'Branch, tag or commit (git trees and URLs; default HEAD)' }),

    ...noWaitFlag,
  };

  async run(): Promise<TreeRecord> {
    const { args, flags } = await this.parse(TreeAdd);
    let rec!: TreeRecord;
    await runTasks(
      [
        {
          title: `Adding tree ${args.name} from ${flags.source}`,
          task: async (_ctx, task) => {
            rec = await addTree(this.runner, this.state, {
              name: args.name,
              source: flags.source,
              ref: flags.ref,
              onStep: (m) => (task.output = m),
            });
            task.title = `Added tree ${rec.name}: Linux ${rec.kernel.string} at ${rec.commit.slice(0, 12)}`;
          },
        },
      ],
      { quiet: this.quiet },
    );
    this.out(renderTree(rec));
    return rec;
  }
}
