// SPDX-License-Identifier: GPL-2.0-only
/** From flags to what is built: directories, config, targets, ccache and the toolchain checks, without running anything. */
import { delimiter, join } from 'node:path';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { resolveBuild, type BuildRequest } from '../../../src/lib/build/context.js';
import { KseriesError } from '../../../src/lib/errors.js';
import { findInPath } from '../../../src/lib/doctor/doctor.js';
import { isolate, type IsolatedEnv } from '../../helpers/env.js';
import { fakeSeriesRepo, registerFakeTree, writeFakeBuildDir } from '../../helpers/fake-kbuild.js';

let env: IsolatedEnv;
let buildDir: string;
beforeEach(() => {
  env = isolate();
  registerFakeTree(env.paths.data, 'k', fakeSeriesRepo(join(env.root, 'linux'), []));
  buildDir = join(env.paths.cache, 'build', 'k', 'x86_64-default');
});
afterEach(() => env.cleanup());

const req = (over: Partial<BuildRequest> = {}): BuildRequest => ({ tree: 'k', arch: 'x86_64', profile: 'default', llvm: false, ccache: false, w1: false, nice: 0, timeoutSec: 0, dryRun: false, ...over });

/** A PATH holding only the named tools: links to the real ones, or a stub where the host lacks one (resolveBuild only looks tools up). */
function pathWith(tools: string[]): string {
  const dir = join(env.root, 'bin');
  mkdirSync(dir, { recursive: true });
  for (const t of tools) {
    const p = findInPath(t);
    if (p) symlinkSync(p, join(dir, t));
    else writeFileSync(join(dir, t), '#!/bin/sh\nexit 127\n', { mode: 0o755 });
  }
  return dir;
}

describe('resolveBuild', () => {
  it('the applied worktree, the O= dir keyed by tree/arch/profile, targets from the .config', () => {
    writeFakeBuildDir(buildDir, 'CONFIG_MODULES=y\n');
    const c = resolveBuild(env.paths, req({ jobs: 3 }));
    expect(c.spec).toMatchObject({ srcDir: join(env.root, 'linux'), buildDir, jobs: 3, targets: ['bzImage', 'modules'], crossCompile: process.arch === 'x64' ? null : 'x86_64-linux-gnu-', configFile: null });
    writeFakeBuildDir(join(env.paths.cache, 'build', 'k', 'x86_64-small'), '# CONFIG_MODULES is not set\n');
    expect(resolveBuild(env.paths, req({ profile: 'small' })).spec.targets).toEqual(['bzImage']);
  });

  it('--build-dir and --config are taken as given (resolved), the config file must look like one', () => {
    writeFakeBuildDir(join(env.root, 'cfg'), 'CONFIG_MODULES=y\n');
    const c = resolveBuild(env.paths, req({ buildDir: join(env.root, 'elsewhere'), config: join(env.root, 'cfg', '.config') }));
    expect(c.spec).toMatchObject({ buildDir: join(env.root, 'elsewhere'), configFile: join(env.root, 'cfg', '.config') });
    expect(() => resolveBuild(env.paths, req({ config: '/etc/hostname' }))).toThrow(/not a kernel \.config/);
    expect(() => resolveBuild(env.paths, req({ config: '/nope' }))).toThrow(/no such file/);
  });

  it('--ccache without ccache installed: a note, and the build goes on without it', () => {
    writeFakeBuildDir(buildDir);
    const c = resolveBuild(env.paths, req({ ccache: true }), { PATH: pathWith(['make', 'gcc', 'ld']) });
    expect(c.spec.ccache).toBe(false);
    expect(c.warnings).toEqual(['ccache is not installed (kseries doctor --fix, or apt-get install ccache): building without it']);
    expect(c.ccache).toMatchObject({ use: false, flag: '--no-ccache' });
  });

  it('neither --ccache nor --no-ccache: on when ccache is installed, off (and no warning) when not', () => {
    writeFakeBuildDir(buildDir);
    const on = resolveBuild(env.paths, req({ ccache: undefined }), { PATH: pathWith(['make', 'gcc', 'ld', 'ccache']) });
    expect(on.spec).toMatchObject({ ccache: true, ccacheDir: join(env.paths.cache, 'ccache') });
    expect(on.ccache).toMatchObject({ use: true, flag: '--ccache' });
    rmSync(join(env.root, 'bin'), { recursive: true });
    const off = resolveBuild(env.paths, req({ ccache: undefined }), { PATH: pathWith(['make', 'gcc', 'ld']) });
    expect(off.spec).toMatchObject({ ccache: false, ccacheDir: null });
    expect(off.warnings).toEqual([]);
    expect(resolveBuild(env.paths, req({ ccache: false }), { PATH: pathWith(['ccache']) }).spec.ccache).toBe(false);
  });

  it('--ccache: CCACHE_DIR from the environment, else the cache dir', () => {
    writeFakeBuildDir(buildDir);
    const PATH = pathWith(['make', 'gcc', 'ld', 'ccache']);
    expect(resolveBuild(env.paths, req({ ccache: true }), { PATH }).spec.ccacheDir).toBe(join(env.paths.cache, 'ccache'));
    expect(resolveBuild(env.paths, req({ ccache: true }), { PATH, CCACHE_DIR: '/shared/ccache' }).spec.ccacheDir).toBe('/shared/ccache');
  });

  it('a missing compiler: an infrastructure error naming the packages; under --dry-run only a warning', () => {
    writeFakeBuildDir(buildDir);
    const PATH = pathWith(['make']);
    const e = (() => {
      try {
        resolveBuild(env.paths, req({ llvm: true }), { PATH });
      } catch (x) {
        return x as KseriesError;
      }
    })();
    expect(e?.kind).toBe('infra');
    expect(e?.message).toBe('clang, ld.lld not found: needed to build k for x86_64 with LLVM');
    expect(e?.suggestion).toBe('Install them: apt-get install clang lld');
    const dry = resolveBuild(env.paths, req({ llvm: true, dryRun: true }), { PATH });
    expect(dry.warnings[0]).toMatch(/clang, ld\.lld not found/);
  });

  it('an unknown tree, or a tree whose source dir is gone, is a usage error (exit 2)', () => {
    const thrown = (r: BuildRequest) => {
      try {
        resolveBuild(env.paths, r);
      } catch (x) {
        return x as KseriesError;
      }
      throw new Error('resolveBuild did not throw');
    };
    const unknown = thrown(req({ tree: 'nope' }));
    expect(unknown).toBeInstanceOf(KseriesError);
    expect([unknown.kind, unknown.exitCode]).toEqual(['usage', 2]);
    expect(unknown.message).toMatch(/unknown tree "nope"/);

    writeFakeBuildDir(buildDir);
    const src = join(env.root, 'linux');
    expect(resolveBuild(env.paths, req()).spec.srcDir).toBe(src);
    rmSync(src, { recursive: true, force: true });
    const gone = thrown(req());
    expect(gone).toBeInstanceOf(KseriesError);
    expect([gone.kind, gone.exitCode]).toEqual(['usage', 2]);
    // (its applied worktree gone, the tree's base worktree is looked for: absent too)
    expect(gone.message).toMatch(/^the source directory \/\S+ of tree k does not exist$/);
    expect(gone.suggestion).toBe('Apply the series first: kseries apply --tree k');
  });

  it('PATH lookups use the given PATH only', () => {
    writeFakeBuildDir(buildDir);
    expect(() => resolveBuild(env.paths, req(), { PATH: ['/nonexistent', '/also-not'].join(delimiter) })).toThrow(/make, gcc, ld not found/);
  });
});
