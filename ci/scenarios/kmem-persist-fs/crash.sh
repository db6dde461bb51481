#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kmem-persist-fs, FS type (daxkmemfs): one boot of the crash loop (fs_phase=first formats and
# starts it, crash checks the state the last cut left and cuts again, last checks and cleans up)
. "${0%/*}/common.sh"
N=16		# data files
fs_start $DEV /mnt "$([ "$phase" = first ] && echo fs)" || die "fs_start"
dmesg | grep 'kmem persistence: fs' | tail -3

# written K C: has an op of the first C written f<K>? (op i writes f<i % N> unless i % 5 = 0)
written() {
	local i=$1
	[ "$i" = 0 ] && i=$N
	for (( ; i <= $2; i += N)); do
		[ $((i % 5)) != 0 ] && return 0
	done
	return 1
}

check() {
	local c k want seed got last i
	c=$(cat /mnt/committed 2>/dev/null || echo 0)
	echo "committed: $c"
	for k in $(seq 0 $((N - 1))); do
		[ -e /mnt/f$k ] || { written "$k" "$c" && die "f$k missing after $c ops"; continue; }
		got=$($FS which /mnt/f$k $((c + 1))) || die "f$k is torn"
		[ "$(echo "$got" | wc -l)" = 1 ] || die "f$k mixes seeds: $got"
		seed=${got#* }
		# the last committed op that wrote f$k
		last=0
		for ((i = c; i > 0 && i > c - N - 1; i--)); do
			[ $((i % N)) = "$k" ] && [ $((i % 5)) != 0 ] && { last=$i; break; }
		done
		[ "$seed" -ge "$last" ] || die "f$k holds op $seed, but op $last was acknowledged"
	done
	# in-place overwrites: every page old or new
	[ -e /mnt/p ] && { $FS which /mnt/p $((c + 1)) >/tmp/p.seeds || die "p has a torn page"; }
	[ -e /mnt/c ] && { $FS which /mnt/c $((c + 1)) >/dev/null || die "clone c is torn"; }
	# a temporary name may be left by the operation in flight, no other
	ls /mnt | grep -v '^f[0-9]*$\|^p$\|^c$\|^committed$\|^d$' |
		grep -v "^tmp\.$((c + 1))\$\|^committed\.new\$" && die "unexpected names"
	rm -f /mnt/tmp.* /mnt/committed.new
	echo "state after $c acknowledged ops is consistent"
}

work() {
	local i=$(( $(cat /mnt/committed 2>/dev/null || echo 0) + 1 ))
	mkdir -p /mnt/d
	while :; do
		k=$((i % N))
		if [ $((i % 5)) = 0 ]; then
			# in place, 16 pages in one write(), then a clone of it
			$FS write /mnt/p 0 65536 $i || exit 1
			rm -f /mnt/c; $FS clone /mnt/p /mnt/c || exit 1
		else
			$FS write /mnt/tmp.$i 0 $(( (i * 7919) % 200000 + 1 )) $i || exit 1
			mv /mnt/tmp.$i /mnt/f$k || exit 1
		fi
		echo $i > /mnt/committed.new && mv /mnt/committed.new /mnt/committed || exit 1
		i=$((i + 1))
	done
}

case $phase in
first) ;;
*) check ;;
esac
if [ "$phase" = last ]; then
	rm -rf /mnt/*
	df /mnt
	umount /mnt
	dmesg | grep -E 'Oops|BUG:|WARNING:|Call Trace' && die splat
	echo "PASS: last"
	exit 0
fi
work &
sleep $((RANDOM % 4 + 1)).$((RANDOM % 10))
echo "crash after $(cat /mnt/committed 2>/dev/null) ops"
dmesg | grep -E 'Oops|BUG:|WARNING:|Call Trace' && die splat
# tell the harness this boot passed, then restart at once: no sync, no unmount, the workload cut wherever it is
printf '\nKSERIES-RESULT %s exit=0\n\nKSERIES-END\n' "$KSERIES_NAME" >/dev/console
reboot -n -f
