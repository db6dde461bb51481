#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kmem-persist-memmap-on-memory: see scenario.json. One boot per step (mom_step=NAME on the
# kernel command line), so that no check depends on a hot-remove of kernel memory:
#   plain      a format request with the switch on is refused before anything is written;
#              the plain device onlines with its memmap on the device and goes back to devdax
#   format     with the switch off the request is carried out; the memmap is not on the device
#   formatted  the formatted device with the switch on is refused; off, it binds again
# Prints KTAP; each onlining reports node 1's MemTotal and what it took of node 0's RAM.
DAX=/sys/bus/dax/devices/dax0.0
POKE=/kseries/kselftest/dax/dax_poke
BLOCK_KB=$(($(printf %d 0x$(cat /sys/devices/system/memory/block_size_bytes)) / 1024))
node_kb() { awk -v k="$2:" '$3 == k { print $4 }' "/sys/devices/system/node/node$1/meminfo" 2>/dev/null || echo 0; }
. /kseries/lib/ktap.sh
is() { test "$(cat "$1")" = "$2" || { echo "$1: $(cat "$1"), expected $2"; return 1; }; }
online() { daxctl reconfigure-device --mode=system-ram --no-movable dax0.0; }
# plain memory that is to be removed again goes to ZONE_MOVABLE, as daxctl does by default
online_movable() { daxctl reconfigure-device --mode=system-ram dax0.0; }
refused() { ! online; }
to_devdax() { daxctl reconfigure-device --mode=devdax dax0.0; }
# daxctl 76 fails with EBUSY to take memory onlined with memmap_on_memory back to devdax;
# the kernel offlines and removes it: offline the blocks, unbind kmem, bind device_dax
sysfs_to_devdax() {
	for m in /sys/devices/system/node/node1/memory*; do
		echo offline > "$m/state" || return 1
	done
	echo dax0.0 > /sys/bus/dax/drivers/kmem/unbind &&
		echo dax0.0 > /sys/bus/dax/drivers/device_dax/bind &&
		[ -z "$(ls -d /sys/devices/system/node/node1/memory* 2>/dev/null)" ]
}
# device pages 0-2 (the superblock, its backup, the start of the map) as hex
head_pages() { $POKE /dev/dax0.0 0 4096; $POKE /dev/dax0.0 4096 4096; $POKE /dev/dax0.0 8192 4096; }
head_same() { test "$(head_pages)" = "$before"; }
BDEV=/dev/daxkmem1
write_pattern() { pattern | dd of=$BDEV bs=4096 conv=fsync 2>/dev/null && same_pattern; }
same_pattern() { pattern | cmp - $BDEV -n 2097152; }
# node 1's MemTotal against its online memory blocks: the memmap (64 bytes per 4 KiB page)
# is carved out of each block when it lives on the device, and all of it is usable otherwise
added_kb() { echo $(($(ls -d /sys/devices/system/node/node1/memory* | wc -l) * BLOCK_KB)); }
memtotal_is() {
	echo "node 1: $(added_kb) kB in memory blocks, MemTotal $(node_kb 1 MemTotal) kB, expected $1 kB"
	test "$(node_kb 1 MemTotal)" = "$1"
}
memmap_on_device() { memtotal_is $(($(added_kb) - $(added_kb) / 64)); }
memmap_not_on_device() { memtotal_is "$(added_kb)"; }
report() {
	echo "# $1: dax0.0 $size_kb kB, node 1 $(added_kb) kB in memory blocks, MemTotal $(node_kb 1 MemTotal) kB; node 0 MemFree fell by $((free0 - $(node_kb 0 MemFree))) kB while onlining"
}

step=$(sed -n 's/.*mom_step=\([a-z]*\).*/\1/p' /proc/cmdline)
echo "TAP version 13"
if [ ! -e $DAX ] && ! ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null; then
	echo "kseries: ndctl create-namespace failed"
	exit 3
fi
if [ ! -e $DAX/memmap_on_memory ]; then
	echo "1..0 # SKIP dax devices have no memmap_on_memory on this kernel (6.12 has it)"
	exit 0
fi
size_kb=$(($(cat $DAX/size) / 1024))
case "$step" in
plain)
	echo "1..9"
	check memmap_on_memory_param is /sys/module/memory_hotplug/parameters/memmap_on_memory Y
	before=$(head_pages)
	echo 1 > $DAX/memmap_on_memory
	echo blk > $DAX/kmem_persist_format
	check format_refused refused
	check format_refused_reason is $DAX/kmem_persist_reason memmap-on-memory
	check format_request_kept is $DAX/kmem_persist_format blk
	echo "" > $DAX/kmem_persist_format
	to_devdax >/dev/null 2>&1
	check format_nothing_written head_same
	free0=$(node_kb 0 MemFree)
	check plain_online online_movable
	report "plain, memmap on the device"
	check plain_memmap_on_device memmap_on_device
	check plain_status is $DAX/kmem_persist_status plain
	check plain_to_devdax sysfs_to_devdax
	;;
format)
	echo "1..5"
	check switch_off is $DAX/memmap_on_memory 0
	echo blk > $DAX/kmem_persist_format
	free0=$(node_kb 0 MemFree)
	check format_without_memmap_on_memory online
	report "formatted, memmap in RAM"
	check formatted_memmap_in_ram memmap_not_on_device
	check formatted_active is $DAX/kmem_persist_status active
	check pattern_written write_pattern
	;;
formatted)
	echo "1..5"
	echo 1 > $DAX/memmap_on_memory
	check formatted_refused refused
	check formatted_refused_reason is $DAX/kmem_persist_reason memmap-on-memory
	echo 0 > $DAX/memmap_on_memory
	check formatted_binds_without online
	check formatted_active_again is $DAX/kmem_persist_status active
	check pattern_intact same_pattern
	;;
*)
	echo "kseries: mom_step=plain|format|formatted on the kernel command line"
	exit 2
	;;
esac
