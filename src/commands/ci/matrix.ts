// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { localSources, matrixEntries, parseAdd, MATRIX_FORMATS, renderMatrix, type MatrixEntry, type MatrixFormat } from '../../lib/ci/matrix.js';
import { Registry } from '../../lib/trees/registry.js';

export default class CiMatrix extends KseriesCommand {
  static override summary = 'Print the CI matrix of the registered trees: JSON for GitHub Actions, a child pipeline for GitLab.';
  static override description = withExitCodes(
    '--format github prints one line of JSON, {"include":[{"tree","source","ref"}…]}, for ' +
      '`strategy.matrix: ${{ fromJSON(...) }}` (ci/github/kseries.yml); --format gitlab prints a child pipeline whose job ' +
      'fans out with parallel:matrix over KSERIES_TREE, KSERIES_SOURCE and KSERIES_REF (ci/gitlab/.gitlab-ci.yml triggers ' +
      'it). --add NAME=SOURCE[#REF] adds trees that are not registered here. Each job registers its tree from the source and runs `kseries ci --tree TREE`. With no tree registered the ' +
      'matrix holds the default tree, k61 from debian:6.1. A tree whose source is a path on this machine is listed with a ' +
      'warning: a CI runner cannot register it.',
  );
  static override examples = [
    '<%= config.bin %> ci matrix --format github',
    '<%= config.bin %> ci matrix --format github --add k61=debian:6.1 --add k612=debian:6.12',
    '<%= config.bin %> ci matrix --format gitlab > kseries-matrix.yml',
  ];
  static override flags = {
    format: Flags.option({ options: MATRIX_FORMATS, default: 'github' as MatrixFormat, summary: 'github (JSON) or gitlab (YAML child pipeline).' })(),
    add: Flags.string({ multiple: true, summary: 'Also a tree the CI jobs register themselves: NAME=SOURCE or NAME=SOURCE#REF (repeatable).' }),
  };

  async run(): Promise<{ format: MatrixFormat; entries: MatrixEntry[]; text: string }> {
    const { flags } = await this.parse(CiMatrix);
    const entries = matrixEntries(new Registry(this.state).list(), (flags.add ?? []).map(parseAdd));
    for (const e of localSources(entries)) this.warn2(`tree ${e.tree} comes from ${e.source}, a path on this machine: a CI runner cannot register it`);
    const text = renderMatrix(flags.format, entries);
    this.out(text.trimEnd());
    return { format: flags.format, entries, text };
  }
}
