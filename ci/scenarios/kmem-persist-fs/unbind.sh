#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kmem-persist-fs, FS type (daxkmemfs): unbinding kmem with the file system mounted (its pool, busy
# pages and files held), reads failing with EIO until it is unmounted, then binding again in the same
# boot: the files are there, and the kernel logged no splat (run it on a kconfig --debug kernel too).
. "${0%/*}/common.sh"
dmesg_mark fs-unbind
step fs_start $DEV /mnt fs
step $FS write /mnt/u 0 4000000 51
step $FS fsx /mnt/ux 100 52
step dax_unbind $DEV
echo "node $NODE keeps $(node_kb "$NODE" MemTotal) kB after unbind"
! cat /mnt/u > /dev/null 2>&1 || die "a read after unbind did not fail"
step umount /mnt
step fs_start $DEV /mnt
step $FS verify /mnt/u 0 4000000 51
step umount /mnt
step dmesg_clean fs-unbind
