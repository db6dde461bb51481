#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Boot 3: the devdax namespace is back after the reboot. Reports (does not judge) whether
# the kmem onlining was remembered: without the DAX KMEM persistence series it is not.
. ./lib.sh
ndctl list -N >/tmp/ns.json
grep -q '"mode":"devdax"' /tmp/ns.json || { cat /tmp/ns.json; fail "the devdax namespace did not survive the reboot"; }
[ -c /dev/dax0.0 ] || fail "/dev/dax0.0 missing after the reboot"
daxctl list -d dax0.0 >/tmp/dax.json || fail "daxctl list"
if grep -q '"mode":"system-ram"' /tmp/dax.json; then mode=system-ram; else mode=devdax; fi
echo "dax0.0 came back in $mode mode; MemTotal $(memtotal_kib) kB"
pass "devdax namespace persisted across the reboot"
