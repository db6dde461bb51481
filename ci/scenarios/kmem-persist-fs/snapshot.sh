#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kmem-persist-fs, FS type (daxkmemfs): the snapshot example (tools/testing/selftests/dax/kmem_snapshot.c) across a reboot
. "${0%/*}/common.sh"
MIB=${KMEM_SNAPSHOT_MIB:-256}
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
