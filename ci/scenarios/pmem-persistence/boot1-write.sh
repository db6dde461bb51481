#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Boot 1: make the label-less NVDIMM an fsdax namespace (/dev/pmem0) and write a random
# pattern to it, with a header that carries the pattern's checksum.
. ./lib.sh
ndctl create-namespace -f -e namespace0.0 -m fsdax >/tmp/ns.json || fail "ndctl create-namespace -m fsdax"
cat /tmp/ns.json
[ -b /dev/pmem0 ] || fail "/dev/pmem0 did not appear"
dd if=/dev/urandom of=/tmp/data bs=1M count=$DATA_MIB 2>/dev/null || fail "no random data"
sum=$(sha256sum /tmp/data | cut -d' ' -f1)
printf '%s %s\n' "$MAGIC" "$sum" >/tmp/header
dd if=/tmp/header of=/dev/pmem0 bs=4096 count=1 conv=sync,notrunc,fsync 2>/dev/null || fail "header write"
dd if=/tmp/data of=/dev/pmem0 bs=1M seek=1 conv=notrunc,fsync 2>/dev/null || fail "data write"
sync
back=$(dd if=/dev/pmem0 bs=1M skip=1 count=$DATA_MIB 2>/dev/null | sha256sum | cut -d' ' -f1)
[ "$back" = "$sum" ] || fail "read-back in the same boot differs: $back != $sum"
pass "wrote $DATA_MIB MiB to /dev/pmem0, sha256 $sum"
