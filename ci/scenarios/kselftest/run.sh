#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Online the NVDIMM as System RAM (movable, removable memory for memory-hotplug), then run
# the installed kselftests. Everything before "TAP version" is setup, not results.
if ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null && daxctl reconfigure-device --mode=system-ram dax0.0 >/dev/null; then
	echo "kseries: NVDIMM onlined as System RAM on node 1"
else
	echo "kseries: could not online the NVDIMM; memory tests see only boot memory"
fi
[ -x /kseries/kselftest/run_kselftest.sh ] || { echo "kseries: no kselftests in the initramfs"; exit 4; }
cd /kseries/kselftest || exit 4
# A debug kernel runs KSERIES_TIME_FACTOR times slower than the tests' timeouts assume: the
# runner's default (45 s) and each settings file's are multiplied (run_kselftest.sh -o, since
# 6.7, would set one value for all, and 6.1's runner has no such option).
f=${KSERIES_TIME_FACTOR:-1}
scale() {
	awk -F= -v OFS== -v k="$2" -v f="$f" '$1 == k { $2 = $2 * f } 1' "$1" >"$1.scaled" && mv "$1.scaled" "$1"
}
if [ "$f" -gt 1 ]; then
	scale kselftest/runner.sh "export kselftest_default_timeout"
	for s in */settings; do [ -f "$s" ] && scale "$s" timeout; done
	echo "kseries: kselftest timeouts x$f (a debug kernel)"
fi
./run_kselftest.sh
