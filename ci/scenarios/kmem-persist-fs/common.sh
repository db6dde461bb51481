#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What every boot of kmem-persist-fs starts with (sourced): the series' kselftest library,
# the phase named on the kernel command line (fs_phase=), and the NVDIMM as devdax dax0.0.
D=/kseries/kselftest/dax
. $D/kmem_persist_lib.sh
FS=$D/kmem_fs
SNAP=$D/kmem_snapshot
phase=$(sed -n 's/.*fs_phase=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ ! -e /sys/bus/dax/devices/dax0.0 ]; then
	ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null || { echo "FAIL: ndctl"; exit 3; }
fi
DEV=dax0.0
NODE=$(dax_node $DEV)
# die WHY: the boot fails, with the kernel's last words on the device
die() { echo "FAIL: $*"; dmesg | grep -i 'kmem\|daxkmem' | tail -20; exit 1; }
# step CMD...: runs CMD, and fails the boot if it fails
step() { echo "== $*"; "$@" || die "$*"; }
