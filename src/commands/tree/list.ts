// SPDX-License-Identifier: GPL-2.0-only
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { Registry, type TreeRecord } from '../../lib/trees/registry.js';
import { renderTreeTable } from '../../lib/trees/render.js';

export default class TreeList extends KseriesCommand {
  static override summary = 'List registered kernel trees.';
  static override description = withExitCodes('Lists the trees in the registry (state directory), with version, kind, ref and commit.');

  async run(): Promise<TreeRecord[]> {
    await this.parse(TreeList);
    const trees = new Registry(this.state).list();
    this.out(renderTreeTable(trees));
    return trees;
  }
}
