#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bench/blk.mjs, in the guest (one boot): the series' BLK type (/dev/daxkmem<node>) against
# the kernel's RAM disk brd (/dev/ram0, built in, sized by brd.rd_nr=1 brd.rd_size=KiB).
#
# The NVDIMM becomes a devdax namespace, is formatted "blk" and onlined through kmem as the
# kmem-persist-blk scenario does it (with the series' kselftest library). Then, one operation
# at a time on both devices in turn (daxkmem first, or ram0 with blk_bench_first=ram), on MIB
# MiB each:
#   write   bs=1M  blocks [0, MIB MiB) never written before          (fresh pages)
#   write   bs=4k  blocks [MIB, 2*MIB MiB) never written before      (fresh pages)
#   rewrite bs=1M  [0, MIB MiB) again, RUNS times                    (pages replaced / reused)
#   read    bs=1M  [0, MIB MiB), RUNS times
#   read    bs=4k  [MIB, 2*MIB MiB), RUNS times
#   discard        the whole device (blkdiscard; brd of 6.1 has no discard: a note instead)
# with oflag=direct/iflag=direct when the device takes O_DIRECT, else through the page cache
# with conv=fsync and dropped caches. Each operation prints one line on the console:
#   BENCH dev=daxkmem1 op=write bs=1M mib=256 run=1 io=direct sec=12.345 memfree_drop_kib=262144 free_drop_kib=262100 memtotal_drop_kib=262144
# memfree_drop_kib: MemFree of /proc/meminfo before minus after; free_drop_kib: the same with
# the pages of the per-CPU lists added (MemFree does not count them); memtotal_drop_kib: our
# device takes pages out of the managed memory (MemTotal), brd does not. Time from bash's
# EPOCHREALTIME (clock_gettime, any clocksource, fine under TCG), else /proc/uptime.
# First, unless blk_bench_warm=0, a warm-up touches the memory of both nodes once (see warm_up).
# Parameters on the kernel command line: blk_bench_mib=N (default 256), blk_bench_runs=R (3),
# blk_bench_warm=0|1 (1), blk_bench_first=daxkmem|ram (daxkmem).
# (No set -u: the series' library reads unset variables.)

arg() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" /proc/cmdline; }
MIB=$(arg blk_bench_mib)
MIB=${MIB:-256}
RUNS=$(arg blk_bench_runs)
RUNS=${RUNS:-3}
say() { echo "blk-vs-brd: $*"; }
die() { say "$1"; exit "${2:-1}"; }

# a fresh VM's device: the library acts only on the device it is named (its data is destroyed)
export DAX_DEV=dax0.0
lib=/kseries/kselftest/dax/kmem_persist_lib.sh
[ -r "$lib" ] || die "$lib is missing: is the series applied and the dax kselftest installed?" 4
# shellcheck source=/dev/null
. "$lib"

if [ ! -e /sys/bus/dax/devices/dax0.0 ]; then
	ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null || die "ndctl create-namespace failed" 3
fi
DEV=$(pick_device)
[ -n "$DEV" ] || die "no DAX device" 3
[ -e "$DAX_SYS/devices/$DEV/kmem_persist_format" ] || die "kernel without CONFIG_DEV_DAX_KMEM_PERSIST" 4
NODE=$(dax_node "$DEV")
dax_request "$DEV" blk
dax_bind "$DEV" kmem || die "kmem did not take $DEV formatted as blk (dmesg: $(dmesg | grep -i 'kmem persistence' | tail -3))"
online_node "$NODE" || die "could not online the memory of node $NODE"
wait_blk "$NODE" || die "$(blk_dev "$NODE") did not appear"
DAXKMEM=$(blk_dev "$NODE")
RAM=/dev/ram0
[ -b "$RAM" ] || die "$RAM is missing: CONFIG_BLK_DEV_RAM=y and brd.rd_nr=1 on the command line?" 4

need=$((2 * MIB * 1024 * 1024))
for d in "$DAXKMEM" "$RAM"; do
	size=$(blockdev --getsize64 "$d")
	say "$d: $size bytes, logical block $(blockdev --getss "$d") bytes"
	[ "$size" -ge "$need" ] || die "$d holds $size bytes, the bench needs $need (2 x $MIB MiB)" 2
done
say "$DEV on node $NODE; $MIB MiB per pass, $RUNS runs of the repeatable ones; $(nproc) CPUs"
say "node $NODE: $(node_kb "$NODE" MemTotal) kB, node 0: $(node_kb 0 MemTotal) kB"

if [ -n "${EPOCHREALTIME:-}" ]; then
	now() { echo "${EPOCHREALTIME/,/.}"; }
	CLOCK=epochrealtime
else
	now() { local up _; read -r up _ </proc/uptime; echo "$up"; }
	CLOCK=uptime
fi
say "clock: $CLOCK"

meminfo() { awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo; }
# pages on the per-CPU lists of every zone, in kB
pcp_kb() { awk '$1 == "count:" { n += $2 } END { print n * 4 }' /proc/zoneinfo; }
drop_caches() { [ -w /proc/sys/vm/drop_caches ] && echo 3 >/proc/sys/vm/drop_caches; return 0; }

# O_DIRECT where the device takes it (tried on its last block, outside the regions the bench
# writes; the discard at the end gives that page back)
io_mode() {
	local last=$(($(blockdev --getsize64 "$1") / 4096 - 1))
	if dd if=/dev/zero of="$1" bs=4k count=1 seek="$last" oflag=direct status=none 2>/dev/null &&
	   dd if="$1" of=/dev/null bs=4k count=1 skip="$last" iflag=direct status=none 2>/dev/null; then
		echo direct
	else
		echo fsync
	fi
}
declare -A IO
for d in "$DAXKMEM" "$RAM"; do
	IO[$d]=$(io_mode "$d")
	say "${d#/dev/}: io=${IO[$d]}"
done

# bench DEV OP BS RUN DD-ARGS...: one timed dd with the memory counters around it
bench() {
	local dev=$1 op=$2 bs=$3 run=$4 t0 t1 f0 f1 p0 p1 m0 m1 err
	shift 4
	local flags=()
	if [ "${IO[$dev]}" = direct ]; then
		case "$op" in read) flags=(iflag=direct) ;; *) flags=(oflag=direct) ;; esac
	else
		case "$op" in read) drop_caches ;; *) flags=(conv=fsync) ;; esac
	fi
	sync
	f0=$(meminfo MemFree) p0=$(pcp_kb) m0=$(meminfo MemTotal)
	t0=$(now)
	if ! err=$(dd "$@" bs="$bs" "${flags[@]}" status=none 2>&1); then
		echo "BENCH dev=${dev#/dev/} op=$op bs=$bs mib=$MIB run=$run status=fail reason=$(echo "$err" | tr -s ' \t\n' '_')"
		return 1
	fi
	t1=$(now)
	[ "${IO[$dev]}" = direct ] || drop_caches
	f1=$(meminfo MemFree) p1=$(pcp_kb) m1=$(meminfo MemTotal)
	echo "BENCH dev=${dev#/dev/} op=$op bs=$bs mib=$MIB run=$run io=${IO[$dev]} clock=$CLOCK" \
	     "sec=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" \
	     "memfree_drop_kib=$((f0 - f1)) free_drop_kib=$((f0 + p0 - f1 - p1)) memtotal_drop_kib=$((m0 - m1))"
}

discard() {
	local dev=$1 t0 t1 f0 f1 p0 p1 m0 m1 err
	sync
	f0=$(meminfo MemFree) p0=$(pcp_kb) m0=$(meminfo MemTotal)
	t0=$(now)
	if ! err=$(blkdiscard "$dev" 2>&1); then
		echo "BENCH dev=${dev#/dev/} op=discard bs=- mib=$((2 * MIB)) run=1 status=skip reason=$(echo "$err" | tr -s ' \t\n' '_')"
		return 0
	fi
	t1=$(now)
	f1=$(meminfo MemFree) p1=$(pcp_kb) m1=$(meminfo MemTotal)
	echo "BENCH dev=${dev#/dev/} op=discard bs=- mib=$((2 * MIB)) run=1 io=ioctl clock=$CLOCK" \
	     "sec=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" \
	     "memfree_drop_kib=$((f0 - f1)) free_drop_kib=$((f0 + p0 - f1 - p1)) memtotal_drop_kib=$((m0 - m1))"
}

# Warm-up: QEMU backs guest memory lazily, so the first touch of a guest page costs a host
# page fault (for the NVDIMM, in a shared file mapping). Without it the first writes would
# time the host more than the devices: touch the memory of both nodes once, then give it back
# (node 1 through the device itself, filled until ENOSPC then discarded; node 0 through a
# tmpfs file).
warm_up() {
	local t0 kb
	t0=$(now)
	dd if=/dev/zero of="$DAXKMEM" bs=1M oflag=direct status=none 2>/dev/null
	blkdiscard "$DAXKMEM" || say "warm-up: blkdiscard $DAXKMEM failed"
	kb=$(($(node_kb 0 MemFree) - 384 * 1024))
	if [ "$kb" -gt 0 ]; then
		mkdir -p /mnt/warm && mount -t tmpfs -o size="${kb}k" tmpfs /mnt/warm &&
			dd if=/dev/zero of=/mnt/warm/fill bs=1M count=$((kb / 1024)) status=none 2>/dev/null
		rm -f /mnt/warm/fill
		umount /mnt/warm
	fi
	say "warm-up: node 1 filled through $DAXKMEM and discarded, $((kb / 1024)) MiB of node 0 through tmpfs, in $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s"
}
if [ "$(arg blk_bench_warm)" = 0 ]; then
	say "no warm-up (blk_bench_warm=0): the first writes include QEMU's first touch of guest memory"
else
	warm_up
fi
say "MemFree $(meminfo MemFree) kB, MemTotal $(meminfo MemTotal) kB before the bench"

BLOCKS=$((MIB * 256))	# 4 KiB blocks per pass
rc=0
# which device goes first in each pair (blk_bench_first=ram: brd; the scenario alternates)
ORDER="$DAXKMEM $RAM"
[ "$(arg blk_bench_first)" = ram ] && ORDER="$RAM $DAXKMEM"
say "order: $ORDER"
both() { local d; for d in $ORDER; do "$@" "$d" || rc=1; done; }
# the second argument list: DEV comes last from both()
w1m() { bench "$1" write 1M 1 if=/dev/zero of="$1" count="$MIB"; }
w4k() { bench "$1" write 4k 1 if=/dev/zero of="$1" count="$BLOCKS" seek="$BLOCKS"; }
rw1m() { bench "$2" rewrite 1M "$1" if=/dev/zero of="$2" count="$MIB"; }
r1m() { bench "$2" read 1M "$1" if="$2" of=/dev/null count="$MIB"; }
r4k() { bench "$2" read 4k "$1" if="$2" of=/dev/null count="$BLOCKS" skip="$BLOCKS"; }

both w1m
both w4k
for r in $(seq "$RUNS"); do both rw1m "$r"; done
for r in $(seq "$RUNS"); do both r1m "$r"; done
for r in $(seq "$RUNS"); do both r4k "$r"; done
both discard
say "MemFree $(meminfo MemFree) kB, MemTotal $(meminfo MemTotal) kB at the end"
dmesg | grep -E 'Oops|BUG:|WARNING:|Call Trace' && { say "kernel splat during the bench"; rc=1; }
say "done (exit $rc)"
exit "$rc"
