// SPDX-License-Identifier: GPL-2.0-only
import { Args } from '@oclif/core';
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { Registry, type TreeRecord } from '../../lib/trees/registry.js';
import { renderTree } from '../../lib/trees/render.js';

export default class TreeShow extends KseriesCommand {
  static override summary = 'Show one registered kernel tree.';
  static override description = withExitCodes('Prints where a tree lives, its kernel version, ref, commit and tags.');
  static override args = { name: Args.string({ required: true }) };

  async run(): Promise<TreeRecord> {
    const { args } = await this.parse(TreeShow);
    const t = new Registry(this.state).get(args.name);
    this.out(renderTree(t));
    return t;
  }
}
