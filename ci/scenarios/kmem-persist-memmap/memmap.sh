#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# One boot of kmem-persist-memmap: legacy pmem (memmap=nn!ss) on node 1, a devdax namespace
# with its memmap on the device or in RAM (kmem_map=dev|mem), and the series used through
# ndctl and daxctl as the admin guide shows. kmem_step=write (re)creates the namespace in
# that map mode when it is not already, formats it as BLK and writes a pattern;
# kmem_step=verify onlines it again without a request and compares. Prints KTAP.
. /kseries/lib/ktap.sh
step=$(param kmem_step)
map=$(param kmem_map)
DAX=/sys/bus/dax/devices/dax0.0
BDEV=/dev/daxkmem1
# 2 MiB of a pattern anyone can regenerate
node_kb() { awk -v k="$2:" '$3 == k { print $4 }' "/sys/devices/system/node/node$1/meminfo"; }
# free pages of node 0, those on the per-CPU lists included: MemFree leaves them out, and with
# THP (Debian's configuration) those lists hold order-9 pages, the size of a vmemmap block,
# so a memmap can come from them and leave MemFree as it was
pcp_kb() { awk -v n="$1" '$1 == "Node" { node = $2 + 0 } $1 == "count:" && node == n { c += $2 } END { print c * 4 }' /proc/zoneinfo; }
free0_kb() { echo $(($(node_kb 0 MemFree) + $(pcp_kb 0))); }

ns_map() { ndctl list -n namespace0.0 2>/dev/null | sed -n 's/.*"map":"\([a-z]*\)".*/\1/p'; }
ns_mode() { ndctl list -n namespace0.0 2>/dev/null | sed -n 's/.*"mode":"\([a-z]*\)".*/\1/p'; }
e820_bus() { grep -qx e820 /sys/bus/nd/devices/ndbus*/provider; }
target_node_1() { test "$(cat $DAX/target_node)" = 1; }
devdax_map() { test "$(ns_mode)" = devdax && test "$(ns_map)" = "$map" && test -e $DAX; }
make_devdax() {
	[ "$(ns_mode)" = devdax ] && [ "$(ns_map)" = "$map" ] && return 0
	ndctl create-namespace -f -e namespace0.0 -m devdax --map="$map"
	devdax_map
}
# node 0's free memory with device_dax bound, with no driver, and with kmem: device_dax's own
# memmap (in RAM with --map=mem) goes, kmem's memmap of the added memory comes
online() {
	[ -z "$1" ] || echo "$1" > $DAX/kmem_persist_format
	free_devdax=$(free0_kb)
	daxctl disable-device dax0.0 || return 1
	free_none=$(free0_kb)
	daxctl reconfigure-device --mode=system-ram --no-movable dax0.0 || return 1
	free_kmem=$(free0_kb)
}
active() { test "$(cat $DAX/kmem_persist_status)" = active; }
write_pattern() { pattern | dd of=$BDEV bs=4096 conv=fsync 2>/dev/null && pattern | cmp - $BDEV -n 2097152; }
same_pattern() { pattern | cmp - $BDEV -n 2097152; }

case "$step/$map" in
write/dev | write/mem | verify/dev | verify/mem) ;;
*) echo "kseries: kmem_step=write|verify and kmem_map=dev|mem on the kernel command line"; exit 2 ;;
esac
echo "TAP version 13"
echo "1..10"
if [ "$map" = dev ]; then where="on the device"; else where="in RAM"; fi
echo "# $step, the namespace's memmap $where (ndctl --map=$map)"
check e820_region e820_bus
if [ "$step" = write ]; then
	check devdax_namespace make_devdax
else
	check namespace_kept devdax_map
fi
check target_node_1 target_node_1
if [ "$step" = write ]; then
	check format_and_online online blk
else
	check online_again online
fi
echo "# region0 $(($(cat /sys/bus/nd/devices/region0/size) / 1024)) kB, dax0.0 $(($(cat $DAX/size) / 1024)) kB (the rest: info block, alignment and, with --map=dev, the namespace's own memmap); node 1 MemTotal $(node_kb 1 MemTotal) kB (kmem adds whole memory blocks: the partial first one stays out)"
echo "# node 0 RAM: device_dax's memmap $((free_none - free_devdax)) kB, kmem's memmap of the added memory $((free_none - free_kmem)) kB"
# kmem adds whole memory blocks; their memmap is in node 0's RAM, not on the device
BLOCK_KB=$(($(printf %d 0x$(cat /sys/devices/system/memory/block_size_bytes)) / 1024))
added_kb=$(($(ls -d /sys/devices/system/node/node1/memory* | wc -l) * BLOCK_KB))
region_kb=$(($(cat /sys/bus/nd/devices/region0/size) / 1024))
dax_kb=$(($(cat $DAX/size) / 1024))
check node1_memtotal_is_its_blocks test "$(node_kb 1 MemTotal)" = "$added_kb"
# the memmap is added_kb / 64; other allocations and frees of node 0 (the per-CPU lists
# refill and drain meanwhile) move the measure by a few hundred kB either way (6032 kB seen
# for 6144): a memmap on the device would leave node 0 nearly untouched
check memmap_in_node0_ram test $((free_none - free_kmem)) -ge $((added_kb / 64 * 3 / 4))
# --map=dev reserves the namespace's own memmap (64 bytes per 4 KiB page) on the device
if [ "$map" = dev ]; then
	check map_dev_reserves_memmap test $((region_kb - dax_kb)) -ge $((region_kb / 64))
else
	check map_mem_reserves_none test $((region_kb - dax_kb)) -lt $((region_kb / 64))
fi
check status_active active
check block_device test -b $BDEV
if [ "$step" = write ]; then
	check pattern_written write_pattern
else
	check pattern_intact same_pattern
fi
