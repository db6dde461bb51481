#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# kmem-persist-moved: see scenario.json. kmem_step=format (NVDIMM on node 1) or moved (on
# node 0). Prints KTAP.
DAX=/sys/bus/dax/devices/dax0.0
step=$(sed -n 's/.*kmem_step=\([a-z]*\).*/\1/p' /proc/cmdline)
. /kseries/lib/ktap.sh
is() { test "$(cat "$1")" = "$2" || { echo "$1: $(cat "$1"), expected $2"; return 1; }; }
online() { daxctl reconfigure-device --mode=system-ram --no-movable dax0.0; }
logged() { dmesg | grep -q "$1" || { echo "not in the log: $1"; return 1; }; }

echo "TAP version 13"
if [ ! -e $DAX ] && ! ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null; then
	echo "kseries: ndctl create-namespace failed"
	exit 3
fi
case "$step" in
format)
	echo "1..3"
	check on_node_1 is $DAX/target_node 1
	echo blk > $DAX/kmem_persist_format
	check formatted online
	check active is $DAX/kmem_persist_status active
	;;
moved)
	echo "1..7"
	check on_node_0 is $DAX/target_node 0
	check refused sh -c '! daxctl reconfigure-device --mode=system-ram --no-movable dax0.0'
	check refused_reason is $DAX/kmem_persist_reason node-busy
	check refusal_names_the_memory logged "node 0 has [0-9]* present pages of other memory"
	echo erase > $DAX/kmem_persist_format
	check erase_carried_out online
	check erased_logged logged "superblock erased"
	check plain is $DAX/kmem_persist_status plain
	;;
*)
	echo "kseries: kmem_step=format|moved on the kernel command line"
	exit 2
	;;
esac
