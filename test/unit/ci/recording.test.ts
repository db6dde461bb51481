// SPDX-License-Identifier: GPL-2.0-only
/** What a stage's record keeps: every process, and the git commands that change something. */
import { isGitQuery, recorded } from '../../../src/lib/ci/recording.js';
import { Git } from '../../../src/lib/git/git.js';
import { FakeRunner } from '../../helpers/fake-runner.js';
import { gitSync, isolate, type IsolatedEnv } from '../../helpers/env.js';

describe('recording a stage', () => {
  let env: IsolatedEnv;
  beforeAll(() => (env = isolate('kseries-rec-')));
  afterAll(() => env.cleanup());

  it('keeps the runner\'s commands and git\'s changes, not git\'s queries', async () => {
    gitSync(env.root, ['init', '-q', '-b', 'main']);
    const runner = new FakeRunner().expect('make', { exitCode: 0 });
    const { commands } = await recorded(runner, async (r) => {
      const git = new Git(env.root);
      await git.run(['rev-parse', '--git-dir']);
      await git.run(['tag', 'x']);
      await r.run({ cmd: 'make', args: ['-C', '/s', 'bzImage'] });
      return null;
    });
    expect(commands).toEqual([`git -C ${env.root} tag x`, 'make -C /s bzImage']);
  });

  it.each([
    ['git -C /r rev-parse HEAD', true],
    ["git -C /r -c core.hooksPath=/dev/null cat-file -e 'abc^{commit}'", true],
    ['git -C /r worktree list --porcelain', true],
    ['git -C /r worktree add --detach /w abc', false],
    ['git -C /r -c core.hooksPath=/dev/null -c commit.gpgSign=false am -3 /p/0001.patch', false],
    ["git -C '/with space' rev-parse HEAD", false],
  ])('%s is a query: %s', (line, want) => expect(isGitQuery(line)).toBe(want));
});
