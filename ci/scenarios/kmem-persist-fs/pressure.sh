#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kmem-persist-fs, FS type (daxkmemfs) under memory pressure, as the BLK device is tested (kmem_persist.sh
# thin and pressure): a reservation, overwrites that never fail, new data that waits no_space_timeout
# then fails with ENOSPC (at once with error_if_no_space; a remount starts a new clock), SIGBUS for a store
# through a mapping, overwrites while a reader holds the pages they free, and
# 400 fsync'd files of 512 KiB written while processes hold all memory for 10 s; after a reboot every file holds.
. "${0%/*}/common.sh"
# timed CMD...: runs CMD; RC is its status, SECS the seconds it took
timed() { local t0; t0=$(date +%s); "$@"; RC=$?; SECS=$(seconds_since "$t0"); }
echo -1000 > /proc/$$/oom_score_adj
STRESS=$D/kmem_stress
MIB=1048576
# what the hog leaves above the zones' low watermarks: 6.12's per-CPU free lists
# hold tens of MiB that a task on another CPU cannot have, so 8 MiB (BLK's
# pressure test) let the hog itself fall below the min watermark there
HOG_KB=32768
if [ "$phase" = verify ]; then
	dmesg_mark fs-pressure-verify
	step fs_start $DEV /mnt
	step $STRESS check /mnt/files 400 512 41
	step $FS verify /mnt/r 0 $((24 * MIB)) 36
	step $FS verify /mnt/after 0 $((8 * MIB)) 37
	step grep -q "/mnt daxkmemfs .*no_space_timeout=60" /proc/mounts
	step dmesg_clean fs-pressure-verify
	exit 0
fi

dmesg_mark fs-pressure
dax_request $DEV "fs reserve=32M"
step fs_start $DEV /mnt
step dmesg_has fs-pressure "8192 reserved"
step mount -o remount,no_space_timeout=3 /mnt
step grep -q "/mnt daxkmemfs .*no_space_timeout=3" /proc/mounts
# a second mount of the device is the same super block: its options are ignored, with a warning
mkdir -p /mnt2
step mount -t daxkmemfs -o no_space_timeout=5 $DEV /mnt2
step dmesg_has fs-pressure "mounted already: options unchanged"
step grep -q "/mnt2 daxkmemfs .*no_space_timeout=3" /proc/mounts
step umount /mnt2
# the pool takes the reservation from the node before processes do
sleep 2
hog_start $HOG_KB
echo "node $NODE: $(node_free_kb "$NODE") kB free under the hog"
step $FS write /mnt/r 0 $((24 * MIB)) 31	# new data, within the reservation
step $FS write /mnt/r 0 $((24 * MIB)) 32	# overwrites: the old pages come back
timed $FS write /mnt/new 0 $((128 * MIB)) 33 2>/tmp/err
echo "new data past the reservation: exit $RC after $SECS s: $(cat /tmp/err)"
[ "$RC" -ne 0 ] && [ "$SECS" -ge 3 ] && grep -q "No space left" /tmp/err ||
	die "new data past the reservation did not wait 3 s, then fail with ENOSPC"
step dmesg_has fs-pressure "has no free page"
timed $FS mmap-write /mnt/map $((64 * MIB)) 34
echo "a store through a mapping into a hole: exit $RC"
[ "$RC" -eq $((128 + 7)) ] || die "a store that found no memory was not killed by SIGBUS"
step mount -o remount,error_if_no_space /mnt
step grep -q "/mnt daxkmemfs .*error_if_no_space" /proc/mounts
timed $FS write /mnt/new2 0 $((64 * MIB)) 35 2>/tmp/err
echo "error_if_no_space: exit $RC after $SECS s: $(cat /tmp/err)"
[ "$RC" -ne 0 ] && [ "$SECS" -lt 3 ] && grep -q "No space left" /tmp/err ||
	die "error_if_no_space did not fail new data at once with ENOSPC"
# a new policy starts a new clock: new data waits again
step mount -o remount,noerror_if_no_space /mnt
timed $FS write /mnt/new3 0 $((64 * MIB)) 35 2>/tmp/err
echo "noerror_if_no_space again: exit $RC after $SECS s: $(cat /tmp/err)"
[ "$RC" -ne 0 ] && [ "$SECS" -ge 3 ] || die "after remount,noerror_if_no_space new data did not wait again"
# the node is full: overwrites go on, while a reader holds pages they free
( while :; do cat /mnt/r > /dev/null; done ) &
reader=$!
step timeout 300 $FS write /mnt/r 0 $((24 * MIB)) 38
step timeout 300 $FS write /mnt/r 0 $((24 * MIB)) 39
step timeout 300 $FS write /mnt/r 0 $((24 * MIB)) 36
kill $reader; wait $reader 2>/dev/null
hog_stop
step mount -o remount,noerror_if_no_space,no_space_timeout=60 /mnt
step $FS write /mnt/after 0 $((8 * MIB)) 37
step dmesg_has fs-pressure "has memory again"
step $FS verify /mnt/r 0 $((24 * MIB)) 36
rm -f /mnt/new /mnt/new2 /mnt/new3 /mnt/map

# processes hold all memory for 10 s while 400 files of 512 KiB are written,
# more than the node has left: writers wait for memory (no_space_timeout
# 60), none fails
mkdir -p /mnt/files
hog_start $HOG_KB
( sleep 10; hog_stop ) &
timed sh -c 'echo 1000 > /proc/self/oom_score_adj; exec "$@"' sh "$STRESS" files /mnt/files 400 512 41
wait
hog_stop
echo "400 files of 512 KiB under pressure: exit $RC in $SECS s"
[ "$RC" -eq 0 ] || die "writes failed under memory pressure"
[ "$SECS" -ge 5 ] || die "the writers did not wait for memory: the test did not put them under pressure"
step $STRESS check /mnt/files 400 512 41
step dmesg_clean fs-pressure
df /mnt
step umount /mnt
