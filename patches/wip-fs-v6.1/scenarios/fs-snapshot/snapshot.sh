#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# daxkmemfs: the snapshot example (tools/testing/selftests/dax/kmem_snapshot.c) across a reboot
D=/kseries/kselftest/dax
. $D/kmem_persist_lib.sh
SNAP=$D/kmem_snapshot
MIB=${KMEM_SNAPSHOT_MIB:-256}
phase=$(sed -n 's/.*fs_phase=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ ! -e /sys/bus/dax/devices/dax0.0 ]; then
	ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null || { echo "FAIL: ndctl"; exit 3; }
fi
DEV=dax0.0
NODE=$(dax_node $DEV)
die() { echo "FAIL: $*"; exit 1; }
fs_start $DEV /mnt "$([ "$phase" = run ] && echo fs)" || die "fs_start"
if [ "$phase" = run ]; then
	mkdir /mnt/proc1
	$SNAP run /mnt/proc1 $MIB 3 > /tmp/run.log 2>&1 &
	pid=$!
	for i in $(seq 600); do grep -q 'ready to be killed' /tmp/run.log && break; sleep 0.5; done
	cat /tmp/run.log
	grep -q 'ready to be killed' /tmp/run.log || die "the process did not get ready"
	# one more round in the heap after the last snapshot, never snapshotted
	kill -9 $pid
	grep "node$NODE\|Node $NODE" /sys/devices/system/node/node$NODE/meminfo | head -3
	printf '\nKSERIES-RESULT %s exit=0\n\nKSERIES-END\n' "$KSERIES_NAME" >/dev/console
	reboot -n -f
fi
$SNAP resume /mnt/proc1 || die "resume"
echo "PASS: resumed from the snapshot"
