#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# One boot of kmem-persist-modules, on a kernel whose device-dax drivers, kmem and the
# persistence module are modules (kseries kconfig apply --module), loaded as a user does
# without udev: modprobe, then ndctl and daxctl. kmod_step=write formats a devdax namespace
# as BLK, writes a pattern, then unbinds, unloads, reloads and onlines it again three
# times in the boot; kmod_step=verify loads the modules after a reboot and finds the
# pattern. Prints KTAP.
. /kseries/lib/ktap.sh
step=$(param kmod_step)
DAX=/sys/bus/dax/devices/dax0.0
KMEM=/sys/bus/dax/drivers/kmem
BDEV=/dev/daxkmem1
CYCLES=3
node_kb() { awk -v k="$2:" '$3 == k { print $4 }' "/sys/devices/system/node/node$1/meminfo"; }
is() { v=$(cat "$1"); [ "$v" = "$2" ] || { echo "$1 is \"$v\", expected \"$2\""; return 1; }; }
loaded() { lsmod | awk '{ print $1 }' | grep -qx "$1"; }
not_loaded() { ! loaded "$1"; }
load() { modprobe nd_pmem && modprobe dax_pmem && modprobe device_dax && modprobe kmem && loaded dax_kmem_persist; }
devdax() {
	[ -e $DAX ] || ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null || return 1
	test -e $DAX
}
online() { daxctl reconfigure-device --mode=system-ram --no-movable dax0.0 >/dev/null; }
# kmem's unbind releases the data pages and hot-removes the memory; the data stays on the device
# (node 1, memory-only, goes away with its memory)
unbind() { echo dax0.0 > $KMEM/unbind && { [ ! -e /sys/devices/system/node/node1/meminfo ] || [ "$(node_kb 1 MemTotal)" = 0 ]; }; }
unload() { rmmod kmem && rmmod dax_kmem_persist && not_loaded kmem && not_loaded dax_kmem_persist; }
write_pattern() { pattern | dd of=$BDEV bs=4096 conv=fsync 2>/dev/null && pattern | cmp - $BDEV -n 2097152; }
same_pattern() { pattern | cmp - $BDEV -n 2097152; }

case "$step" in
write | verify) ;;
*) echo "kseries: kmod_step=write|verify on the kernel command line"; exit 2 ;;
esac
echo "TAP version 13"
if [ "$step" = write ]; then echo "1..$((8 + 5 * CYCLES + 3))"; else echo "1..5"; fi
echo "# $step: $(uname -r), modules $(ls /lib/modules/"$(uname -r)"/kernel/drivers/dax 2>/dev/null | tr '\n' ' ')"
check nothing_loaded_at_boot not_loaded kmem
check modprobe_chain load
check devdax_namespace devdax
if [ "$step" = verify ]; then
	check online_again online
	check pattern_intact same_pattern
	exit 0
fi
echo blk > $DAX/kmem_persist_format
check format_and_online online
check status_active is $DAX/kmem_persist_status active
check pattern_written write_pattern
# kmem uses the persistence module's symbols: it cannot go first
check persist_module_busy sh -c '! rmmod dax_kmem_persist'
check still_active is $DAX/kmem_persist_status active
i=1
while [ $i -le $CYCLES ]; do
	check "cycle${i}_unbind_with_data" unbind
	check "cycle${i}_unload" unload
	check "cycle${i}_reload" sh -c 'modprobe kmem && lsmod | grep -q "^dax_kmem_persist "'
	check "cycle${i}_online" online
	check "cycle${i}_pattern_intact" same_pattern
	# the page cache (the pattern, read back) is not what is measured
	sync; echo 3 > /proc/sys/vm/drop_caches
	eval "free0_$i=$(node_kb 0 MemFree) free1_$i=$(node_kb 1 MemFree) total1_$i=$(node_kb 1 MemTotal)"
	eval echo "\"# cycle $i: node 0 MemFree \$free0_$i kB, node 1 MemTotal \$total1_$i kB MemFree \$free1_$i kB\""
	i=$((i + 1))
done
# nothing leaks across the cycles: node 1 gets all of its memory back each time, and the
# metadata kmalloc'd on node 0 is freed on unload (4 MiB of slack for the page cache)
eval "t1=\$total1_1 tn=\$total1_$CYCLES f1=\$free1_1 fn=\$free1_$CYCLES f01=\$free0_1 f0n=\$free0_$CYCLES"
check node1_memtotal_same test "$tn" = "$t1"
check node1_memfree_same test "$fn" -ge $((f1 - 1024))
check node0_no_leak test "$f0n" -ge $((f01 - 4096))
