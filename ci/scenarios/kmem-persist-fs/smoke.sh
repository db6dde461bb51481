#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kmem-persist-fs, FS type (daxkmemfs) smoke test: files, links, renames, clones, mappings, fsx; across a reboot
. "${0%/*}/common.sh"
step fs_start $DEV /mnt "$([ "$phase" = 1 ] && echo fs)"
df /mnt
if [ "$phase" = 1 ]; then
	step mkdir /mnt/d /mnt/d/e
	step $FS write /mnt/d/a 0 1000000 11
	step $FS verify /mnt/d/a 0 1000000 11
	step $FS write /mnt/d/a 5000 3000 12
	step $FS verify /mnt/d/a 5000 3000 12
	step $FS mmap-write /mnt/m 3000000 13
	step $FS verify /mnt/m 0 3000000 13
	step timeout -s KILL 60 $FS self-write /mnt/self
	step $FS clone /mnt/m /mnt/m2
	step $FS verify /mnt/m2 0 3000000 13
	step $FS write /mnt/m 0 8192 14
	step $FS verify /mnt/m2 0 3000000 13
	step $FS verify /mnt/m 0 8192 14
	step ln -s d/a /mnt/link
	step ln /mnt/d/a /mnt/hard
	step mv /mnt/d/e /mnt/e2
	echo hello > /mnt/gone; rm /mnt/gone
	step $FS write /mnt/big 0 20000000 15
	step truncate -s 7000 /mnt/big
	step $FS fsx /mnt/fsx 400 21
	ls -laR /mnt
	free -k
	cat /sys/devices/system/node/node$NODE/meminfo | head -5
	umount /mnt && echo umounted
	step fs_mount $DEV /mnt
	step $FS verify /mnt/m2 0 3000000 13
else
	ls -laR /mnt
	step $FS verify /mnt/d/a 0 5000 11
	step $FS verify /mnt/d/a 5000 3000 12
	step $FS verify /mnt/d/a 8000 992000 11
	step $FS verify /mnt/hard 8000 992000 11
	step $FS verify /mnt/m 0 8192 14
	step $FS verify /mnt/m 8192 2991808 13
	step $FS verify /mnt/m2 0 3000000 13
	step $FS verify /mnt/big 0 7000 15
	[ "$(stat -c %s /mnt/big)" = 7000 ] || { echo "FAIL: size of big"; exit 1; }
	[ "$(readlink /mnt/link)" = d/a ] || { echo "FAIL: link"; exit 1; }
	[ -d /mnt/e2 ] && [ ! -e /mnt/d/e ] || { echo "FAIL: rename"; exit 1; }
	[ ! -e /mnt/gone ] || { echo "FAIL: gone is back"; exit 1; }
	step rm -r /mnt/d /mnt/m /mnt/m2 /mnt/big /mnt/hard
	df /mnt
fi
dmesg | grep -E 'Oops|BUG:|WARNING:|Call Trace' && { echo "FAIL: splat"; exit 1; }
echo "PASS: phase $phase"
