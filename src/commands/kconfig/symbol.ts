// SPDX-License-Identifier: GPL-2.0-only
import { Args, Flags } from '@oclif/core';
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { note } from '../../lib/cli/progress.js';
import { renderSymbolInfo } from '../../lib/kconfig/symbol-info.js';
import { querySymbols } from '../../lib/kconfig/symbol-query.js';

export default class KconfigSymbol extends KseriesCommand {
  static override summary = 'Say what a tree\'s Kconfig says about symbols: existence, dependencies, choice, selects.';
  static override description = withExitCodes(
    'Reads the tree\'s Kconfig files (following `source`, if/endif, menus and choices) and prints, for each symbol, ' +
      'its type, its effective `depends on` (enclosing if/menu/choice included), the choice it sits in and who selects ' +
      'it. With the .config of the tree\'s build directory (or --config), also its value and the dependency terms that ' +
      'are off. Exits 1 when a symbol does not exist in the tree.',
  );
  static override examples = ['<%= config.bin %> kconfig symbol --tree k61 DEV_DAX_KMEM ZONE_DEVICE', '<%= config.bin %> kconfig symbol --tree k612 MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE'];
  static override strict = false;
  static override args = { symbol: Args.string({ required: true, description: 'Symbol names, with or without CONFIG_' }) };
  static override flags = {
    tree: Flags.string({ char: 't', required: true, summary: 'The tree to read.' }),
    arch: Flags.string({ default: 'x86_64', options: ['x86_64'], summary: 'ARCH: which arch/*/Kconfig is read.' }),
    profile: Flags.string({ default: 'default', summary: 'Build profile whose .config to evaluate against.' }),
    config: Flags.file({ summary: 'A .config to evaluate against instead.' }),
  };

  async run() {
    const { argv, flags } = await this.parse(KconfigSymbol);
    const res = await querySymbols(this.state, {
      tree: flags.tree,
      symbols: argv as string[],
      arch: flags.arch,
      profile: flags.profile,
      config: flags.config,
      onStep: (m) => note(this.quiet, m),
    });
    this.out(res.symbols.map(renderSymbolInfo).join('\n\n'));
    if (res.config) note(this.quiet, `values from ${res.config}`);
    if (res.symbols.some((s) => !s.exists)) this.verdict('fail');
    return res;
  }
}
