#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# bench/blk-scale: how long formatting, binding (superblock and map checks, memory add) and
# onlining a large BLK device take, and how much kernel memory the persistence state uses.
# Prints BENCH lines: op=... gib=... sec=... (from /proc/uptime, 10 ms resolution).
now() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
kb() { awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo; }
online() { for m in /sys/devices/system/node/node1/memory*; do [ "$(cat "$m/state")" = offline ] && echo online > "$m/state"; done; }
ndctl create-namespace -f -e namespace0.0 -m devdax >/dev/null || { echo "kseries: ndctl failed"; exit 3; }
dev=dax0.0
gib=$(awk -v s="$(cat /sys/bus/dax/devices/$dev/size)" 'BEGIN { printf "%.2f", s / 1073741824 }')
echo "$dev" > /sys/bus/dax/drivers/device_dax/unbind
echo blk > /sys/bus/dax/devices/$dev/kmem_persist_format
v0=$(kb VmallocUsed); s0=$(kb Slab)
t=$(now); echo "$dev" > /sys/bus/dax/drivers/kmem/new_id || exit 1
echo "BENCH op=format+bind gib=$gib sec=$(since "$t")"
t=$(now); online
echo "BENCH op=online gib=$gib sec=$(since "$t")"
echo "BENCH op=state-memory gib=$gib vmalloc_kib=$(($(kb VmallocUsed) - v0)) slab_kib=$(($(kb Slab) - s0))"
i=0; while [ ! -b /dev/daxkmem1 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
dd if=/dev/zero of=/dev/daxkmem1 bs=1M count=256 oflag=direct 2>/dev/null
t=$(now); echo "$dev" > /sys/bus/dax/drivers/kmem/unbind
echo "BENCH op=unbind(offline+remove) gib=$gib sec=$(since "$t")"
t=$(now); echo "$dev" > /sys/bus/dax/drivers/kmem/bind || exit 1
echo "BENCH op=bind(check map) gib=$gib sec=$(since "$t")"
t=$(now); online
echo "BENCH op=online-again gib=$gib sec=$(since "$t")"
dmesg | grep "kmem persistence" | tail -4
