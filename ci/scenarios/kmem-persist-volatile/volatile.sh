#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The series' kselftest, phase "volatile", on the hmem device-dax that the soft-reserved range
# on the kernel command line makes (the only dax device of this guest: no NVDIMM).
dev=$(ls /sys/bus/dax/devices 2>/dev/null | head -n 1)
[ -n "$dev" ] || { echo "kseries: no dax device: is CONFIG_DEV_DAX_HMEM built in, and memmap=SIZE%ADDR-1+0xefffffff on the command line?"; exit 3; }
# the test formats only the device it is given
export DAX_DEV=$dev
test=/kseries/kselftest/dax/kmem_persist.sh
[ -x "$test" ] || { echo "kseries: $test is missing: is the series applied and the dax kselftest installed?"; exit 4; }
exec /bin/bash "$test" --phase volatile
