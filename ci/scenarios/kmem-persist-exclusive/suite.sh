#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The dax kselftest on an NVDIMM that shares node 0: it checks that the device is refused.
ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null || { echo "kseries: ndctl create-namespace failed"; exit 3; }
# the test formats only the device it is given
export DAX_DEV=dax0.0
test=/kseries/kselftest/dax/kmem_persist.sh
[ -x "$test" ] || { echo "kseries: $test is missing: is the series applied and the dax kselftest installed?"; exit 4; }
exec /bin/bash "$test"
