#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Boot 2: the fsdax namespace and the pattern survived the reboot. Then discard them: make
# the namespace devdax and online it as System RAM with daxctl (kmem), on its own node.
. ./lib.sh
ndctl list -N >/tmp/ns.json
grep -q '"mode":"fsdax"' /tmp/ns.json || { cat /tmp/ns.json; fail "the fsdax namespace did not survive the reboot"; }
[ -b /dev/pmem0 ] || fail "/dev/pmem0 missing after the reboot"
hdr=$(dd if=/dev/pmem0 bs=4096 count=1 2>/dev/null | head -n 1)
case "$hdr" in
"$MAGIC "*) want=${hdr##* } ;;
*) fail "no pattern header after the reboot (got: $(echo "$hdr" | head -c 60))" ;;
esac
got=$(dd if=/dev/pmem0 bs=1M skip=1 count=$DATA_MIB 2>/dev/null | sha256sum | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "pattern changed across the reboot: $got != $want"
pass "the $DATA_MIB MiB pattern survived the reboot (sha256 $want)"

ndctl create-namespace -f -e namespace0.0 -m devdax >/tmp/ns.json || fail "ndctl create-namespace -m devdax"
[ -c /dev/dax0.0 ] || fail "/dev/dax0.0 did not appear"
before=$(memtotal_kib)
daxctl reconfigure-device --mode=system-ram dax0.0 >/tmp/dax.json || fail "daxctl reconfigure-device --mode=system-ram"
after=$(memtotal_kib)
grow=$((after - before))
blocks=$(ls -d /sys/devices/system/node/node1/memory* 2>/dev/null | wc -l)
online=$(cat /sys/devices/system/node/node1/memory*/state 2>/dev/null | grep -c online)
echo "MemTotal $before kB -> $after kB (+$grow kB); node1: $blocks memory blocks, $online online"
[ "$grow" -ge $((6 * 131072)) ] || fail "MemTotal grew by only $grow kB"
[ "$online" -ge 6 ] && [ "$online" -eq "$blocks" ] || fail "node1 has $online of $blocks blocks online"
pass "dax0.0 onlined as System RAM on node 1: +$((grow / 1024)) MiB in $online blocks"
