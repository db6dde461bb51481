#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The series' kselftest, phase "needs-flush", on a devdax namespace of a virtio-pmem device:
# its nvdimm region is asynchronous (stores are durable only after a flush request to the
# host), so kmem persistence must refuse to keep data on it.
ns=$(ls /sys/bus/nd/devices 2>/dev/null | grep '^namespace' | head -n 1)
[ -n "$ns" ] || { echo "kseries: no nvdimm namespace: is CONFIG_VIRTIO_PMEM built in?"; exit 3; }
if [ ! -e /sys/bus/dax/devices/dax0.0 ]; then
	ndctl create-namespace -f -e "$ns" -m devdax >/dev/null || { echo "kseries: ndctl create-namespace on $ns failed"; exit 3; }
fi
dev=$(ls /sys/bus/dax/devices 2>/dev/null | head -n 1)
[ -n "$dev" ] || { echo "kseries: no dax device after ndctl create-namespace -m devdax"; exit 3; }
# the test formats only the device it is given
export DAX_DEV=$dev
test=/kseries/kselftest/dax/kmem_persist.sh
[ -x "$test" ] || { echo "kseries: $test is missing: is the series applied and the dax kselftest installed?"; exit 4; }
exec /bin/bash "$test" --phase needs-flush
