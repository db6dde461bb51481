#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bench/fs.mjs, in the guest (one boot): snapshots of a live process's memory and file
# throughput on the series' FS type (daxkmemfs) or, with fs_bench_type=blk, on its BLK type.
#
# The NVDIMM becomes a devdax namespace formatted "fs" (mounted on /mnt) or "blk"
# (/dev/daxkmem<node>), onlined through kmem. For each size in fs_bench_mib (MiB, "256,1024"),
# a process (kmem_snapshot hold) maps a heap file MAP_SHARED and stores into every page, and
# stays alive while its heap is snapshotted:
#   fs:  snapshot by FICLONE (kmem_fs clone heap snap: shares the pages, write-protects the
#        process's PTEs) and by cp (+ sync) of the same file, both on daxkmemfs;
#        restore: kmem_snapshot resume (FICLONE snap -> heap, then the first touch of every
#        page of the new mapping), against reading the cp copy back into RAM (dd into tmpfs);
#   blk: the heap lives in RAM (tmpfs on node 0, a memfd's equivalent); snapshot by dd of it
#        into /dev/daxkmem<node> (O_DIRECT when the device takes it, else conv=fsync);
#        restore: dd of the device back into RAM.
# Then file throughput, fs_bench_tput_mib MiB with dd: write bs=1M + fsync, rewrite in place,
# read bs=1M and bs=4k, on daxkmemfs and on a tmpfs bound to the device's node (mpol=bind),
# or (blk) on ext4 on /dev/daxkmem<node>, reads after dropping the page cache.
# Each timing prints a line:
#   BENCH fs=daxkmemfs op=snapshot how=ficlone mib=256 sec=0.612
# Time from bash's EPOCHREALTIME (clock_gettime). No set -u: the series' library reads unset
# variables.
arg() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" /proc/cmdline; }
TYPE=$(arg fs_bench_type)
SIZES=$(arg fs_bench_mib | tr , ' ')
SIZES=${SIZES:-256 1024}
TPUT=$(arg fs_bench_tput_mib)
TPUT=${TPUT:-256}
D=/kseries/kselftest/dax
SNAP=$D/kmem_snapshot
say() { echo "fs-bench: $*"; }
die() { say "$1"; dmesg | grep -i 'kmem\|daxkmem' | tail -5; exit "${2:-1}"; }
lib=$D/kmem_persist_lib.sh
[ -x "$SNAP" ] || die "$SNAP is missing: is the series (with its FS type) applied and the dax kselftest installed?" 4
# shellcheck source=/dev/null
. "$lib"

# bench FS OP HOW MIB CMD...: runs CMD and prints its seconds
bench() {
	local fs=$1 op=$2 how=$3 mib=$4 t0 t1
	shift 4
	t0=${EPOCHREALTIME/./}
	"$@" || die "$fs $op $how: $* failed"
	t1=${EPOCHREALTIME/./}
	echo "BENCH fs=$fs op=$op how=$how mib=$mib sec=$(awk "BEGIN { printf \"%.3f\", ($t1 - $t0) / 1e6 }")"
}
quiet_dd() { dd "$@" status=none; }
cp_sync() { cp "$1" "$2" && sync; }

# hold DIR MIB: a process whose heap is DIR/heap, every page stored into; waits until it is
HOLDER=
hold() {
	"$SNAP" hold "$1" "$2" >/tmp/hold.log 2>&1 &
	HOLDER=$!
	for _ in $(seq 1200); do grep -q 'ready to be killed' /tmp/hold.log && return 0; sleep 0.25; done
	die "kmem_snapshot hold $1 $2 did not get ready: $(cat /tmp/hold.log)"
}
unhold() { kill -9 "$HOLDER" && wait "$HOLDER" 2>/dev/null; HOLDER=; }

# ms LABEL: the milliseconds kmem_snapshot resume printed after LABEL
ms_of() { sed -n "s/.*$1 \([0-9.]*\) ms.*/\1/p" /tmp/resume.log | head -1; }

if [ ! -e /sys/bus/dax/devices/dax0.0 ]; then
	ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null || die "ndctl create-namespace failed" 3
fi
DEV=dax0.0
NODE=$(dax_node $DEV)
# RAM for the process memory of the blk boot and for reading copies back: node 0
mkdir -p /ram && mount -t tmpfs -o size=1400m,mpol=bind:0 ram /ram || die "tmpfs on node 0" 3

throughput() {	# FS DIR [drop]
	local f=$2/tput
	bench "$1" write dd-1M "$TPUT" quiet_dd if=/dev/zero of="$f" bs=1M count="$TPUT" conv=fsync
	bench "$1" rewrite dd-1M "$TPUT" quiet_dd if=/dev/zero of="$f" bs=1M count="$TPUT" conv=notrunc,fsync
	[ "$3" = drop ] && { sync; echo 3 >/proc/sys/vm/drop_caches; }
	bench "$1" read dd-1M "$TPUT" quiet_dd if="$f" of=/dev/null bs=1M
	[ "$3" = drop ] && echo 3 >/proc/sys/vm/drop_caches
	bench "$1" read dd-4k "$TPUT" quiet_dd if="$f" of=/dev/null bs=4k
	rm -f "$f"
}

case "$TYPE" in
fs)
	fs_start $DEV /mnt fs || die "daxkmemfs did not mount"
	for mib in $SIZES; do
		mkdir -p /mnt/p
		hold /mnt/p "$mib"
		bench daxkmemfs snapshot ficlone "$mib" "$D/kmem_fs" clone /mnt/p/heap /mnt/p/snap
		bench daxkmemfs snapshot cp "$mib" cp_sync /mnt/p/heap /mnt/p/heap.cp
		unhold
		bench daxkmemfs restore read "$mib" quiet_dd if=/mnt/p/heap.cp of=/ram/heap bs=1M
		# the copy goes first: resume's next round copies every shared page on write
		rm -f /mnt/p/heap.cp /ram/heap
		"$SNAP" resume /mnt/p >/tmp/resume.log 2>&1 || die "resume: $(cat /tmp/resume.log)"
		echo "BENCH fs=daxkmemfs op=restore how=ficlone mib=$mib sec=$(awk "BEGIN { printf \"%.3f\", $(ms_of 'MiB in') / 1e3 }")"
		echo "BENCH fs=daxkmemfs op=restore how=touch mib=$mib sec=$(awk "BEGIN { printf \"%.3f\", $(ms_of 'all pages in') / 1e3 }")"
		rm -rf /mnt/p
	done
	throughput daxkmemfs /mnt
	mkdir -p /t && mount -t tmpfs -o size=$((TPUT + 64))m,mpol=bind:"$NODE" t /t || die "tmpfs on node $NODE"
	throughput tmpfs /t
	;;
blk)
	dax_request $DEV blk
	dax_bind $DEV kmem || die "kmem did not take $DEV formatted as blk"
	online_node "$NODE" || die "could not online node $NODE"
	wait_blk "$NODE" || die "$(blk_dev "$NODE") did not appear"
	BLK=$(blk_dev "$NODE")
	IO=(oflag=direct)
	RIO=(iflag=direct)
	quiet_dd if=/dev/zero of="$BLK" bs=4k count=1 oflag=direct 2>/dev/null || { IO=(conv=fsync); RIO=(); }
	for mib in $SIZES; do
		mkdir -p /ram/p
		hold /ram/p "$mib"
		bench daxkmem snapshot dd "$mib" quiet_dd if=/ram/p/heap of="$BLK" bs=1M "${IO[@]}"
		unhold
		rm -rf /ram/p
		[ ${#RIO[@]} = 0 ] && echo 3 >/proc/sys/vm/drop_caches
		bench daxkmem restore read "$mib" quiet_dd if="$BLK" of=/ram/heap bs=1M count="$mib" "${RIO[@]}"
		rm -f /ram/heap
		blkdiscard "$BLK" || die "blkdiscard"
	done
	mke2fs -q -t ext4 "$BLK" || die "mke2fs"
	mkdir -p /e && mount -t ext4 "$BLK" /e || die "mount ext4"
	throughput ext4-on-blk /e drop
	;;
*) die "fs_bench_type=fs|blk on the kernel command line" 2 ;;
esac
dmesg | grep -E 'Oops|BUG:|WARNING:|Call Trace' && die "a kernel splat"
say "done"
