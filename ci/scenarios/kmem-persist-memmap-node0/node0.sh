#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Legacy pmem on node 0: the user's path (ndctl, a format request, daxctl) must be refused
# with the kernel's advice; then the dax kselftest's phase "exclusive" checks the refusal
# in detail (status, reason, request kept, nothing written). Everything before its
# "TAP version" is setup.
DAX=/sys/bus/dax/devices/dax0.0
grep -qx e820 /sys/bus/nd/devices/ndbus*/provider || { echo "kseries: no e820 nvdimm bus: is CONFIG_X86_PMEM_LEGACY built in, and memmap=nn!ss on the command line?"; exit 3; }
ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null || { echo "kseries: ndctl create-namespace on the e820 region failed"; exit 3; }
node=$(cat $DAX/target_node)
echo "kseries: dax0.0 is on node $node with $(awk '/MemTotal/ { print $4 }' /sys/devices/system/node/node0/meminfo) kB of RAM"
[ "$node" = 0 ] || { echo "kseries: memmap= pmem carved out of node 0's RAM must be on node 0, not $node"; exit 1; }
echo blk > $DAX/kmem_persist_format
if daxctl reconfigure-device --mode=system-ram --no-movable dax0.0; then
	echo "kseries: daxctl onlined a device formatted for persistence on node 0; it must be refused"
	exit 1
fi
advice=$(dmesg | grep 'present pages of other memory; persistent data needs a node with no other memory')
[ -n "$advice" ] || { echo "kseries: the refusal did not say what to do instead"; dmesg | tail -n 20; exit 1; }
echo "kseries: refused as expected: ${advice#*] }"
echo "" > $DAX/kmem_persist_format
export DAX_DEV=dax0.0
test=/kseries/kselftest/dax/kmem_persist.sh
[ -x "$test" ] || { echo "kseries: $test is missing: is the series applied and the dax kselftest installed?"; exit 4; }
exec /bin/bash "$test" --phase exclusive
