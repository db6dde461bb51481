// SPDX-License-Identifier: GPL-2.0-only
import { writeFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { note } from '../../lib/cli/progress.js';
import { requestFlags, requestOptions } from '../../lib/kconfig/cli-flags.js';
import { generateFragment, type GenerateResult } from '../../lib/kconfig/generate.js';

export default class KconfigGenerate extends KseriesCommand {
  static override summary = 'Write the merged Kconfig fragment for the DAX KMEM feature, a platform, persistence types, debug and selftests.';
  static override description = withExitCodes(
    'Merges the fragments shipped in kconfig/ (platform, feature, --module, persistence types, debug), the config files ' +
      'of the requested kselftest targets (read from the tree, so --selftests needs --tree) and your own --fragment files, ' +
      'in that order; a later value wins and every override is reported as a warning. Writes to stdout, or to --output. ' +
      'A fragment line that is not a Kconfig assignment is a warning naming FILE:LINE and is left out; with --strict it ' +
      'exits 1 and writes nothing.',
  );
  static override examples = [
    '<%= config.bin %> kconfig generate',
    '<%= config.bin %> kconfig generate --persist blk --debug -o dax.config',
    '<%= config.bin %> kconfig generate --module --selftests memory-hotplug,dax --tree k61',
  ];
  static override flags = {
    ...requestFlags,
    tree: Flags.string({ char: 't', summary: 'Tree to read the selftests\' config files from.' }),
    output: Flags.file({ char: 'o', summary: 'Write the fragment to FILE instead of stdout.' }),
  };

  async run(): Promise<GenerateResult> {
    const { flags } = await this.parse(KconfigGenerate);
    const res = await generateFragment(this.state, {
      ...requestOptions(flags),
      tree: flags.tree,
      onStep: (m) => note(this.quiet, m),
    });
    for (const w of res.warnings) this.warn2(w);
    if (res.refused) {
      this.logToStderr(`kseries: ${res.refused}; nothing was written`);
      this.verdict('fail');
      return res;
    }
    if (res.createdWorktree) note(this.quiet, `created a detached worktree at ${res.createdWorktree}`);
    if (flags.output) {
      writeFileSync(flags.output, res.text);
      note(this.jsonEnabled(), `wrote ${res.symbols} symbols to ${flags.output}`);
    } else {
      this.out(res.text);
    }
    return res;
  }
}
