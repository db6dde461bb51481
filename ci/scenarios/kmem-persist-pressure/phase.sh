#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# One boot of a DAX KMEM persistence scenario: make sure the NVDIMM is a devdax namespace
# (created once; it survives reboots), then run the phase named on the kernel command line
# (kmem_phase=NAME) of the series' kselftest, which prints KTAP.
phase=$(sed -n 's/.*kmem_phase=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$phase" ] || { echo "kseries: no kmem_phase= on the kernel command line"; exit 2; }
if [ ! -e /sys/bus/dax/devices/dax0.0 ]; then
	ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null || { echo "kseries: ndctl create-namespace failed"; exit 3; }
fi
# the test formats only the device it is given
export DAX_DEV=dax0.0
test=/kseries/kselftest/dax/kmem_persist.sh
[ -x "$test" ] || { echo "kseries: $test is missing: is the series applied and the dax kselftest installed?"; exit 4; }
exec /bin/bash "$test" --phase "$phase"
