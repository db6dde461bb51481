# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the pmem-persistence scripts (busybox sh).
MAGIC="KSERIES-PMEM-PATTERN v1"
DATA_MIB=4

fail() { echo "FAIL: $*"; exit 1; }
pass() { echo "PASS: $*"; }
memtotal_kib() { awk '/^MemTotal:/ { print $2 }' /proc/meminfo; }
