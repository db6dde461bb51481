#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# One boot of kmem-persist-subdevices: hmem's dynamic dax region on node 1 (soft-reserved
# memory, idle at boot), divided with daxctl create-device into a persistent sub-device
# (kmem, BLK) and a plain devdax sibling written through mmap. kmem_step=create formats the
# first (refused as volatile, then under allow_volatile) and shows a multi-range device
# refused; kmem_step=verify recreates the same two devices and finds both contents. KTAP.
. /kseries/lib/ktap.sh
step=$(param kmem_step)
SYS=/sys/bus/dax/devices
BDEV=/dev/daxkmem1
POKE=/kseries/kselftest/dax/dax_poke
VOLATILE=/sys/module/dax_kmem_persist/parameters/allow_volatile
MiB=1048576
# bytes the sibling keeps at the start of its first and of its last MiB: "kseries-sibling"
MARK=6b7365726965732d7369626c696e67
is() { v=$(cat "$1"); [ "$v" = "$2" ] || { echo "$1 is \"$v\", expected \"$2\""; return 1; }; }
dmesg_has() { dmesg | grep -q "$1" || { echo "no \"$1\" in the kernel log"; return 1; }; }
# the kernel's own words for a refusal, as a KTAP comment
said() { dmesg | grep "kmem persistence: $1" | tail -n 1 | sed 's/^\[[^]]*\] */# /'; }

# create SIZE: a new sub-device of region0 (daxctl gives it the first free space); prints its name
create() { daxctl create-device -r 0 -s "$1" 2>/dev/null | sed -n 's/.*"chardev":"\(dax[0-9.]*\)".*/\1/p'; }
# daxctl's words on success ("disabled 1 device") stay out of the KTAP; its errors become comments
quiet() { "$@" >/tmp/quiet.log 2>&1 || { sed 's/^/# /' /tmp/quiet.log; return 1; }; }
start_of() { printf %d "$(cat $SYS/$1/mapping0/start)"; }
ranges() { ls -d $SYS/$1/mapping[0-9]* | wc -l; }
online() { daxctl reconfigure-device --mode=system-ram --no-movable "$1"; }
refused() { ! online "$1"; }
sibling_write() { "$POKE" /dev/$B 0 $MARK -w && "$POKE" /dev/$B $((255 * MiB)) $MARK -w; }
sibling_intact() {
	test "$("$POKE" /dev/$B 0 15 | tr -d ' \n')" = $MARK &&
		test "$("$POKE" /dev/$B $((255 * MiB)) 15 | tr -d ' \n')" = $MARK
}
write_pattern() { pattern | dd of=$BDEV bs=4096 conv=fsync 2>/dev/null && pattern | cmp - $BDEV -n 2097152; }
same_pattern() { pattern | cmp - $BDEV -n 2097152; }
# the region and its placement: hmem's region on node 1, all of it free (region_idle)
region_ok() {
	test -d /sys/bus/dax/devices/dax0.0 || return 1
	daxctl list -R -r 0 | grep -q '"size":805306368' &&
		daxctl list -R -r 0 | grep -q '"available_size":805306368' &&
		is $SYS/dax0.0/target_node 1
}
# the first two sub-devices: A at the region's start, B right after it
make_pair() {
	A=$(create 256M) && B=$(create 256M) || return 1
	echo "A=$A B=$B"
	a=$(start_of "$A") && b=$(start_of "$B") || return 1
	test "$a" = $((4096 * MiB)) && test "$b" = $((a + 256 * MiB)) &&
		test "$(ranges "$A")" = 1 && test "$(ranges "$B")" = 1
}

case "$step" in
create | verify) ;;
*) echo "kseries: kmem_step=create|verify on the kernel command line"; exit 2 ;;
esac
echo "TAP version 13"
if [ "$step" = create ]; then echo "1..19"; else echo "1..14"; fi
echo "# $step: hmem's dynamic region on node 1, divided with daxctl create-device"
check idle_region_on_node1 region_ok

if [ "$step" = create ]; then
	check two_subdevices make_pair
	check sibling_written_by_mmap sibling_write
	echo blk > $SYS/$A/kmem_persist_format
	check volatile_refused refused "$A"
	check volatile_reason is $SYS/$A/kmem_persist_reason volatile
	said "the device is not persistent"
	check request_kept is $SYS/$A/kmem_persist_format blk
	echo 1 > $VOLATILE
	check override_formats online "$A"
	echo 0 > $VOLATILE
	check override_warned dmesg_has "its data will not survive a reboot (allow_volatile)"
	# the override is module_param_unsafe: TAINT_USER
	check override_taints test $(($(cat /proc/sys/kernel/tainted) & 64)) = 64
	check status_active is $SYS/$A/kmem_persist_status active
	check pattern_written write_pattern
	# a device resized into several ranges: C and D side by side, C destroyed, D grown
	# by more than the free space after it: it takes C's place too
	C=$(create 128M)
	D=$(create 64M)
	quiet daxctl disable-device "$C" && quiet daxctl destroy-device "$C"
	quiet daxctl disable-device "$D"
	# a request made for the old size does not survive the resize
	echo blk > $SYS/$D/kmem_persist_format
	echo $((256 * MiB)) > $SYS/$D/size
	check resize_cancels_request is $SYS/$D/kmem_persist_format ""
	echo "# $D: $(ranges "$D") ranges after the resize"
	check resized_several_ranges test "$(ranges "$D")" -ge 2
	# markers in its first range and at the start of its second, which a write would change
	quiet daxctl enable-device "$D"
	"$POKE" /dev/$D 0 $MARK -w && "$POKE" /dev/$D $((64 * MiB)) $MARK -w
	before=$("$POKE" /dev/$D 0 12288)
	quiet daxctl disable-device "$D"
	echo blk > $SYS/$D/kmem_persist_format
	echo 1 > $VOLATILE
	check multi_range_refused refused "$D"
	echo 0 > $VOLATILE
	check multi_range_reason is $SYS/$D/kmem_persist_reason multi-range
	said "needs a device"
	check multi_range_logged dmesg_has "needs a device with a single range, this one has"
	quiet daxctl enable-device "$D"
	check multi_range_nothing_written test "$("$POKE" /dev/$D 0 12288)" = "$before"
	check multi_range_second_range_intact test "$("$POKE" /dev/$D $((64 * MiB)) 15)" = $MARK
	check sibling_intact sibling_intact
else
	# a device created larger over the formatted one: its superblock says 256 MiB
	L=$(create 384M)
	check larger_device_refused refused "$L"
	check larger_reason is $SYS/$L/kmem_persist_reason layout
	said "formatted for"
	quiet daxctl disable-device "$L"; quiet daxctl destroy-device "$L"
	check same_two_subdevices make_pair
	# the formatted device is refused on volatile memory at every bind, not only when formatting
	check stale_data_refused refused "$A"
	check stale_reason is $SYS/$A/kmem_persist_reason volatile
	said "the device is not persistent memory; refusing the data"
	echo 1 > $VOLATILE
	# grown over free space, it has a second range: refused for it, without a request too
	quiet daxctl disable-device "$A"
	echo $((384 * MiB)) > $SYS/$A/size
	check grown_two_ranges test "$(ranges "$A")" = 2
	check grown_refused refused "$A"
	check grown_reason is $SYS/$A/kmem_persist_reason multi-range
	# shrunk back to its one range, it is the formatted device again
	quiet daxctl disable-device "$A"
	echo $((256 * MiB)) > $SYS/$A/size
	check shrunk_one_range test "$(ranges "$A")" = 1
	check online_with_override online "$A"
	echo 0 > $VOLATILE
	check status_active is $SYS/$A/kmem_persist_status active
	check pattern_intact same_pattern
	check sibling_intact sibling_intact
fi
echo "# node 1 MemTotal $(awk '$3 == "MemTotal:" { print $4 }' /sys/devices/system/node/node1/meminfo) kB"
