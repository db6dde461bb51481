// SPDX-License-Identifier: GPL-2.0-only
import { readFileSync } from 'node:fs';
import { Args } from '@oclif/core';
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { parseRebaseJson, renderRebaseSummary } from '../../lib/ci/rebase-summary.js';
import { usageError } from '../../lib/errors.js';

export default class CiRebaseSummary extends KseriesCommand {
  static override summary = 'Turn the JSON of `kseries rebase --json` into a Markdown job summary (the conflict report when it does not apply).';
  static override description = withExitCodes(
    'For the scheduled rebase job of the CI templates: prints "cannot apply to REF" with the patch, every conflicting file, ' +
      'the hunks that do not apply alone and the conflict regions — or that the series applies — as Markdown for ' +
      '$GITHUB_STEP_SUMMARY or a GitLab artifact. Exits 1 when the series does not apply, 3 when the rebase could not run.',
  );
  static override examples = ['<%= config.bin %> ci rebase-summary rebase.json >> "$GITHUB_STEP_SUMMARY"'];
  static override args = { file: Args.string({ required: true, description: 'The saved output of kseries rebase --json ("-" for stdin).' }) };

  async run(): Promise<{ markdown: string; applies: boolean }> {
    const { args } = await this.parse(CiRebaseSummary);
    let text: string;
    try {
      text = readFileSync(args.file === '-' ? 0 : args.file, 'utf8');
    } catch (e) {
      throw usageError(`cannot read ${args.file}: ${(e as Error).message}`);
    }
    const j = parseRebaseJson(text);
    const markdown = renderRebaseSummary(j);
    this.out(markdown.trimEnd());
    const applies = !!j.result && j.result.status !== 'conflict';
    this.verdict(!j.result ? 'infra' : applies ? 'ok' : 'fail');
    return { markdown, applies };
  }
}
