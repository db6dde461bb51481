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
cd /kseries/kselftest && ./run_kselftest.sh
