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
# the same snapshot made by copying instead of sharing, side by side
ms() { local t0=${EPOCHREALTIME/./} t1; "$@" || return 1; t1=${EPOCHREALTIME/./}; echo $(( (t1 - t0) / 1000 )); }
clone_ms=$(ms $D/kmem_fs clone /mnt/proc1/heap /mnt/heap.clone) || die "clone"
cp_ms=$(ms cp /mnt/proc1/heap /mnt/heap.cp) || die "cp"
cmp /mnt/heap.clone /mnt/heap.cp || die "clone and copy differ"
echo "snapshot of the $(( $(stat -c %s /mnt/proc1/heap) >> 20 )) MiB heap file: FICLONE $clone_ms ms, cp $cp_ms ms"
echo "PASS: resumed from the snapshot"
