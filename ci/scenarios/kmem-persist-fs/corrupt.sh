#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kmem-persist-fs, FS type (daxkmemfs): corrupt metadata refused, an interrupted rename completed
. "${0%/*}/common.sh"
if [ "$phase" = write ]; then
	# inode 2 and 3, entries 0 and 1 of the root directory
	step fs_start $DEV /mnt fs
	step $FS write /mnt/a 0 20000 1
	step $FS write /mnt/b 0 30000 2
	printf '\nKSERIES-RESULT %s exit=0\n\nKSERIES-END\n' "$KSERIES_NAME" >/dev/console
	reboot -n -f
fi
refused() {	# refused MESSAGE: kmem refuses the device for its metadata
	! dax_bind $DEV kmem && refused_for $DEV metadata &&
		dmesg | grep -q -- "$1" && dax_bind $DEV device_dax
}
if [ "$phase" = duplicate ]; then
	# after the rename: entry 1 of the root directory is "b"; copy it
	# into the free entry 0, so that two entries are named "b"
	le48() { local h=$1 r= i; for i in 10 8 6 4 2 0; do r+=${h:$i:2}; done; echo $((16#$r)); }
	root=$(le48 "$($D/dax_poke /dev/$DEV $((3 * 4096)) 8)")	# inode 1's root: a leaf
	page=$(le48 "$($D/dax_poke /dev/$DEV $((root * 4096)) 8)")	# its entry 0
	entry1=$($D/dax_poke /dev/$DEV $((page * 4096 + 256)) 256)
	step $D/dax_poke /dev/$DEV $((page * 4096)) "$entry1" -w
	step refused "entries 0 and 1 of directory 1 have the same name"
	step $D/dax_poke /dev/$DEV $((page * 4096)) 0000000000000000 -w
	step fs_start $DEV /mnt
	step $FS verify /mnt/b 0 20000 1
	echo "PASS: two entries with the same name refused; restored, the directory is back"
	exit 0
fi
ROOT2=$((3 * 4096 + 128))	# root word of inode 2: inode table at page 3
INTENT=$((2 * 4096))		# the intent page
# 1. a damaged map root
orig=$($D/dax_poke /dev/$DEV $ROOT2 8)
step $D/dax_poke /dev/$DEV $ROOT2 "$(printf '%016x' $((0x$orig ^ 0x0000000000ff0000)))" -w
step refused "inode 2: map root is corrupt"
step $D/dax_poke /dev/$DEV $ROOT2 "$orig" -w
# 2. a rename record with a wrong checksum
step $D/dax_poke /dev/$DEV $INTENT "$($FS intent 2 1 0 1 1 bad)" -w
step refused "record of an interrupted rename is corrupt"
# 3. the record of "mv a b" cut after the intent was committed
step $D/dax_poke /dev/$DEV $INTENT "$($FS intent 2 1 0 1 1)" -w
step fs_start $DEV /mnt
step grep -q 'completed the rename of inode 2' <(dmesg)
[ ! -e /mnt/a ] || { echo "FAIL: a is still there after the rename"; exit 1; }
step $FS verify /mnt/b 0 20000 1
[ "$(stat -c %s /mnt/b)" = 20000 ] || { echo "FAIL: b is not a's inode"; exit 1; }
# the inode b named before is freed at bind: no entry names it
step grep -q 'freed 1 inodes no directory named' <(dmesg)
step $FS fsx /mnt/x 100 5
dmesg | grep -E 'Oops|BUG:|WARNING:|Call Trace' && { echo "FAIL: splat"; exit 1; }
echo "PASS: corrupt metadata refused, the interrupted rename completed"
