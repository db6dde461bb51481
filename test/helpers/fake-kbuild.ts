// SPDX-License-Identifier: GPL-2.0-only
/**
 * A tiny kernel-like tree that really builds: a Makefile that honours O=, ARCH,
 * CROSS_COMPILE, CC and W=1, prints kbuild's quiet lines ("  CC      drivers/dax/kmem.o"),
 * compiles a few C files with the real gcc (header dependencies through -MMD), links a
 * "vmlinux", copies it to arch/<srcarch>/boot/<image>, and builds one module; like kbuild, a
 * make killed half-way never leaves a half-written target that looks up to date. Variants
 * add a W=1-only warning, an always-on warning, or a compile error. Test setup only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitSync } from './env.js';

export const FAKE_MAKEFILE = `# SPDX-License-Identifier: GPL-2.0
VERSION = 6
PATCHLEVEL = 1
SUBLEVEL = 5
EXTRAVERSION =
NAME = Fake Kbuild

srctree := $(CURDIR)
O ?= $(srctree)
objtree := $(abspath $(O))
ARCH ?= x86_64
SRCARCH := $(if $(filter x86_64 i386,$(ARCH)),x86,$(ARCH))
IMAGE := $(if $(filter arm64 riscv,$(ARCH)),Image,bzImage)
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
WFLAGS := -Wall
ifeq ($(W),1)
WFLAGS += -Wextra -Wmissing-prototypes -Wno-unused-parameter
endif
objs := init/main.o drivers/dax/kmem.o drivers/dax/bus.o
# Like kbuild's if_changed: objects are rebuilt when the compiler command changes (W=1, CC).
# Like kbuild, a make killed half-way leaves no target that looks up to date but is not: kbuild
# rebuilds an object whose .cmd file is missing (written after it); here, targets are written
# to a temporary file and renamed.
cmdfile := $(objtree)/.cmd-cc
ifeq ($(filter olddefconfig,$(MAKECMDGOALS)),)
$(shell mkdir -p $(objtree); echo '$(CC) $(WFLAGS)' | cmp -s - $(cmdfile) || echo '$(CC) $(WFLAGS)' > $(cmdfile))
endif
mods := drivers/dax/mod.ko

.PHONY: all bzImage Image modules olddefconfig vmlinux
all: $(IMAGE)

bzImage Image: $(objtree)/vmlinux
\t@mkdir -p $(objtree)/arch/$(SRCARCH)/boot
\t@echo "  BUILD   arch/$(SRCARCH)/boot/$@"
\t@cp $< $(objtree)/arch/$(SRCARCH)/boot/$@.tmp && mv $(objtree)/arch/$(SRCARCH)/boot/$@.tmp $(objtree)/arch/$(SRCARCH)/boot/$@
\t@echo "Kernel: arch/$(SRCARCH)/boot/$@ is ready  (#1)"

vmlinux: $(objtree)/vmlinux
$(objtree)/vmlinux: $(addprefix $(objtree)/,$(objs))
\t@echo "  LD      vmlinux"
\t@$(CC) -o $@.tmp $^ && mv $@.tmp $@
\t@echo "  NM      System.map"
\t@nm $@ > $(objtree)/System.map

modules: $(addprefix $(objtree)/,$(mods))
\t@echo "$(mods)" > $(objtree)/modules.order

$(objtree)/%.ko: $(objtree)/%.o
\t@echo "  LD [M]  $*.ko"
\t@cp $< $@.tmp && mv $@.tmp $@

$(objtree)/drivers/dax/mod.o: $(srctree)/drivers/dax/mod.c $(cmdfile)
\t@mkdir -p $(dir $@)
\t@echo "  CC [M]  drivers/dax/mod.o"
\t@$(CC) $(WFLAGS) -I$(srctree)/include -MMD -MF $(@:.o=.d) -MT $@ -c -o $@.tmp $< && mv $@.tmp $@

$(objtree)/%.o: $(srctree)/%.c $(cmdfile)
\t@mkdir -p $(dir $@)
\t@echo "  CC      $*.o"
\t@$(CC) $(WFLAGS) -I$(srctree)/include -MMD -MF $(@:.o=.d) -MT $@ -c -o $@.tmp $< && mv $@.tmp $@

olddefconfig:
\t@test -f $(objtree)/.config
\t@echo "#"
\t@echo "# configuration written to .config"
\t@echo "#"

-include $(wildcard $(addprefix $(objtree)/,$(objs:.o=.d) drivers/dax/mod.d))
`;

export const SOURCES: Record<string, string> = {
  Makefile: FAKE_MAKEFILE,
  Kconfig: 'mainmenu "Fake"\n',
  'include/kmem.h': '#ifndef KMEM_H\n#define KMEM_H\nint kmem_probe(int x);\nint bus_probe(int x);\n#endif\n',
  'init/main.c': '#include <kmem.h>\n\nint main(void)\n{\n\treturn kmem_probe(0) + bus_probe(0);\n}\n',
  'drivers/dax/kmem.c': '#include <kmem.h>\n\nint kmem_probe(int x)\n{\n\treturn x + 1;\n}\n',
  'drivers/dax/bus.c': '#include <kmem.h>\n\nint bus_probe(int x)\n{\n\treturn x * 2;\n}\n',
  'drivers/dax/mod.c': '#include <kmem.h>\n\nint mod_init(void);\nint mod_init(void)\n{\n\treturn 0;\n}\n',
};

/** bus.c with a warning under W=1 only (-Wmissing-prototypes) and one always (-Wunused-variable). */
export const BUS_WITH_WARNINGS =
  '#include <kmem.h>\n\nint bus_helper(void)\n{\n\treturn 3;\n}\n\nint bus_probe(int x)\n{\n\tint unused;\n\n\treturn x * 2;\n}\n';

/** kmem.c that does not compile: an undeclared identifier at line 5. */
export const KMEM_BROKEN = '#include <kmem.h>\n\nint kmem_probe(int x)\n{\n\treturn x + undeclared_thing;\n}\n';

/** kmem.c with a new function without a prototype (a W=1 warning) at line 8. */
export const KMEM_WITH_HELPER = '#include <kmem.h>\n\nint kmem_probe(int x)\n{\n\treturn x + 1;\n}\n\nint kmem_helper(void)\n{\n\treturn 2;\n}\n';

export function writeFakeKbuild(dir: string, overrides: Record<string, string> = {}): void {
  for (const [rel, text] of Object.entries({ ...SOURCES, ...overrides })) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

export const FAKE_CONFIG = 'CONFIG_64BIT=y\nCONFIG_MODULES=y\nCONFIG_DEV_DAX_KMEM=y\n';

/** A build directory with a .config, as `kseries kconfig apply` leaves it. */
export function writeFakeBuildDir(buildDir: string, config = FAKE_CONFIG): void {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(join(buildDir, '.config'), config);
}

export interface FakeSeriesRepo {
  repo: string;
  base: string;
  commits: string[];
}

/**
 * A git repository of the fake tree: the base commit, then one commit per entry of
 * CHANGES (file → new content), on branch "series" (checked out). Returns the ids.
 */
export function fakeSeriesRepo(dir: string, changes: Array<{ subject: string; files: Record<string, string> }>): FakeSeriesRepo {
  mkdirSync(dir, { recursive: true });
  gitSync(dir, ['init', '-q', '-b', 'main']);
  writeFakeKbuild(dir);
  gitSync(dir, ['add', '-A']);
  gitSync(dir, ['commit', '-q', '-m', 'Linux 6.1.5']);
  const base = gitSync(dir, ['rev-parse', 'HEAD']).trim();
  gitSync(dir, ['checkout', '-q', '-b', 'series']);
  const commits: string[] = [];
  for (const c of changes) {
    for (const [rel, text] of Object.entries(c.files)) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    gitSync(dir, ['add', '-A']);
    gitSync(dir, ['commit', '-q', '-m', c.subject]);
    commits.push(gitSync(dir, ['rev-parse', 'HEAD']).trim());
  }
  return { repo: dir, base, commits };
}

/** Registers REPO as tree NAME (kind git) with its checkout as the applied workspace, in the state dir DATA. */
export function registerFakeTree(data: string, name: string, r: FakeSeriesRepo): void {
  mkdirSync(join(data, 'worktrees', name), { recursive: true });
  const kernel = { version: 6, patchlevel: 1, sublevel: 5, extraversion: '', string: '6.1.5' };
  const tree = { name, kind: 'git', repo: r.repo, source: r.repo, ref: 'main', commit: r.base, kernel, tags: [], addedAt: '2024-01-01T00:00:00Z' };
  writeFileSync(join(data, 'trees.json'), JSON.stringify({ version: 1, trees: { [name]: tree } }, null, 2));
  const head = r.commits[r.commits.length - 1] ?? r.base;
  const ws = { tree: name, srcDir: r.repo, series: 'v6.1', branch: 'series', baseCommit: r.base, head, updatedAt: '2024-01-01T00:00:00Z' };
  writeFileSync(join(data, 'worktrees', name, 'current.json'), JSON.stringify(ws, null, 2));
}
