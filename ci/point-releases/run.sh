#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The point-release matrix: the series on every linux-source-6.1 and linux-source-6.12
# version apt offers (apt-cache madison), outside .ci/run (it takes about an hour on 2 cores).
#
#   ci/point-releases/run.sh [--line 6.1|6.12]... [--full-on-all|--suite-only] [--resume] [--only VERSION]... [--results DIR]
#
# 1. Imports each version once, as tree dVERSION of one state (KSERIES_MATRIX/imports):
#    the imports of a line share one object store (so `git am -3` finds every preimage, and
#    the series' base-commit resolves in each of them).
# 2. Runs `kseries ci` on each version, in a state of its own (KSERIES_MATRIX/runs/VERSION)
#    where the import is registered under the same name for every version (k61 or k612):
#    the worktree and O= directory then have the same relative layout in every run, so one
#    ccache (KSERIES_MATRIX/ccache) serves them all: kbuild hands the compiler absolute
#    paths, which ccache's base_dir makes relative, and a tree name in them would differ.
#    The newest version of each line runs every scenario; the others apply, configure,
#    build, run checkpatch and the series' suite (kmem-persist-suite); --full-on-all runs
#    every scenario everywhere, --suite-only the suite everywhere.
#    --resume keeps RESULTS/runs.tsv and skips the versions it already has a row of;
#    --only VERSION (repeatable) runs those versions only.
# 3. Writes RESULTS/summary.md: a row per version, with each stage's verdict and time, and
#    ccache's hits and misses of each build.
#
# Exit: 0 when every version passed, 1 when one failed, 3 on an infrastructure error.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
matrix=${KSERIES_MATRIX:-${XDG_CACHE_HOME:-$HOME/.cache}/kseries-matrix}
results=$PWD/kseries-results/point-releases
lines=()
full_on_all=0
resume=0
only=()
while [ $# -gt 0 ]; do
	case $1 in
	--line) lines+=("$2"); shift 2 ;;
	--full-on-all) full_on_all=1; shift ;;
	--suite-only) full_on_all=-1; shift ;;
	--resume) resume=1; shift ;;
	--only) only+=("$2"); shift 2 ;;
	--results) results=$(realpath -m "$2"); shift 2 ;;
	-h|--help) sed -n '4,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "point-releases: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
[ ${#lines[@]} -gt 0 ] || lines=(6.1 6.12)
kseries() { node "$repo/bin/run.js" "$@"; }
export KSERIES_NO_PROGRESS=0 CCACHE_DIR=$matrix/ccache
mkdir -p "$results" "$CCACHE_DIR"
imports=(KSERIES_HOME="$matrix/imports" KSERIES_CACHE="$matrix/imports-cache")
status=0
[ $resume = 1 ] && [ -f "$results/runs.tsv" ] || : > "$results/runs.tsv"
for line in "${lines[@]}"; do
	mapfile -t versions < <(apt-cache madison "linux-source-$line" | awk -F'|' '{gsub(/ /,"",$2); print $2}' | sort -V -r -u)
	if [ ${#versions[@]} -eq 0 ]; then echo "point-releases: apt offers no linux-source-$line (apt-get update?)" >&2; exit 3; fi
	echo "== Linux $line: ${versions[*]}"
	for v in "${versions[@]}"; do
		name=d${v%%~*}
		if [ ${#only[@]} -gt 0 ] && ! printf '%s\n' "${only[@]}" | grep -qxF "$v"; then continue; fi
		if [ $resume = 1 ] && cut -f3 "$results/runs.tsv" | grep -qx "$name"; then echo "== $name: done before (--resume)"; continue; fi
		if ! env "${imports[@]}" node "$repo/bin/run.js" tree show "$name" >/dev/null 2>&1; then
			echo "== $(date -u +%T) import $name (debian:$line=$v)"
			env "${imports[@]}" node "$repo/bin/run.js" tree add "$name" --source "debian:$line=$v" || { status=3; continue; }
		fi
		src=$(env "${imports[@]}" node "$repo/bin/run.js" tree show "$name" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).result.repo))')
		run=$matrix/runs/$name
		tree=k${line//./}
		export KSERIES_HOME=$run/state KSERIES_CACHE=$run/cache
		kseries tree show "$tree" >/dev/null 2>&1 || kseries tree add "$tree" --source "$src" >/dev/null || { status=3; continue; }
		scen=(--scenario kmem-persist-suite)
		{ [ "$v" = "${versions[0]}" ] && [ $full_on_all != -1 ]; } || [ $full_on_all = 1 ] && scen=()
		before=$(ccache -s --print-stats 2>/dev/null | awk '$1=="direct_cache_hit"||$1=="preprocessed_cache_hit"{h+=$2} $1=="cache_miss"{m=$2} END{print h+0, m+0}')
		start=$(date +%s)
		echo "== $(date -u +%T) kseries ci on $v (${scen[*]:-every scenario})"
		kseries ci --tree "$tree" --ccache --keep-going "${scen[@]}" --results "$results/$name"
		rc=$?
		after=$(ccache -s --print-stats 2>/dev/null | awk '$1=="direct_cache_hit"||$1=="preprocessed_cache_hit"{h+=$2} $1=="cache_miss"{m=$2} END{print h+0, m+0}')
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$line" "$v" "$name" "$rc" "$(( $(date +%s) - start ))" "$before $after" >> "$results/runs.tsv"
		unset KSERIES_HOME KSERIES_CACHE
		[ $rc -eq 0 ] || { [ $rc -eq 1 ] && [ $status -ne 3 ] && status=1; [ $rc -ne 1 ] && status=3; }
	done
done
node "$here/summary.mjs" "$results" > "$results/summary.md" && cat "$results/summary.md"
exit $status
