#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Per-connection kernel memory inside the VM: xtcpconns holds N idle
# established connections (XTCP_BENCH_CONNS, default 10000) over xtcp, then
# over Linux TCP, between namespaces ms (10.7.0.1) and mc joined by veth,
# and prints each one's growth per connection, both ends counted, with the
# slab caches that grew, and the xtcp/tcp ratios.  Then the same with every
# connection closed into TIME_WAIT at the client (xtcp's 60 s are waited
# for, so that its end is checked for leaks too, Linux's are not; a
# shorter TIME_WAIT could end before the last connection got there).  Its
# own namespaces: TIME_WAIT left there by others would be counted.
#
# TAP: all N connections established (both ends ESTABLISHED), memory back
# near the baseline after closing (a leak fails), all N closed into
# TIME_WAIT and nothing else left; and a check of the leak check: 2000 of
# 4000 connections left open must be reported as a leak.  The figures and
# ratios are never judged.
IP=/sbin/ip
CONNS=${XTCP_BENCH_CONNS:-10000}

$IP netns add ms
$IP netns add mc
$IP link add veth0 netns ms type veth peer name veth0 netns mc
$IP -n ms addr add 10.7.0.1/24 dev veth0
$IP -n mc addr add 10.7.0.2/24 dev veth0
for ns in ms mc; do
	$IP -n $ns link set veth0 up
	$IP -n $ns link set lo up
done
# Both keep at most this many in TIME_WAIT (Linux: half its connection
# hash table, 4096 per namespace with 1 GiB; xtcp the same figure) and
# close the rest at once: raise both so that all CONNS are counted.
$IP netns exec mc sh -c "echo $((2 * CONNS)) > /proc/sys/net/ipv4/tcp_max_tw_buckets"
$IP netns exec mc sh -c "echo $((2 * CONNS)) > /proc/sys/net/xtcp/max_tw_buckets"

n=0
# tap OK DESCRIPTION
tap() {
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
	fi
}

# run NAME DESCRIPTION-OF-THE-CHECK XTCPCONNS-ARGS...: prints the output as
# comments; $rc is its exit status (4 and above: it failed to run).
run() {
	out=/tmp/mem-$1.txt
	shift
	xtcpconns -s ms -c mc "$@" >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
}
ok_bit() { [ "$rc" -le 3 ] && [ $((rc & $1)) = 0 ] && echo 1; }

# bytes FILE FIELD [AFTER]: the bytes/connection of FIELD (Slab,
# MemFree+pcp) in the first report, or in the first after a line with AFTER.
bytes() {
	awk -v f="$2" -v a="$3" 'a != "" && index($0, a) { a = "" }
		a == "" && $1 == f { print $4; exit }' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

echo "1..8"
echo "# memory of $CONNS idle established connections, both ends counted"
for fam in xtcp tcp; do
	flag=
	[ $fam = tcp ] && flag=-4
	run $fam $flag -n "$CONNS" -p 9000
	tap "$(ok_bit 1)" "$fam: $CONNS connections established"
	tap "$(ok_bit 2)" "$fam: memory back after closing"
done

echo "# the same closed into TIME_WAIT at the client"
run xtcp-tw -T -w 90 -n "$CONNS" -p 9001
tap "$(ok_bit 1)" "xtcp: $CONNS connections established, then all in TIME_WAIT"
tap "$(ok_bit 2)" "xtcp: memory back after TIME_WAIT"
run tcp-tw -4 -T -w 0 -n "$CONNS" -p 9001
tap "$(ok_bit 1)" "tcp: $CONNS connections established, then all in TIME_WAIT"

# The leak check must fire when half of the connections stay open.
run keep -n 4000 -k 2000 -w 1 -p 9002
[ $rc = 2 ] && r=1 || r=0
tap $r "leak check fires with 2000 of 4000 xtcp connections kept open (exit status $rc, 2 expected)"

tw="in TIME_WAIT at the client"
for what in Slab MemFree+pcp; do
	xs=$(bytes /tmp/mem-xtcp.txt $what)
	ts=$(bytes /tmp/mem-tcp.txt $what)
	xw=$(bytes /tmp/mem-xtcp-tw.txt $what "$tw")
	tw_=$(bytes /tmp/mem-tcp-tw.txt $what "$tw")
	echo "# $what per connection, idle (both ends): xtcp $xs bytes, linux tcp $ts bytes, xtcp/tcp $(ratio "$xs" "$ts")"
	echo "# $what per connection, TIME_WAIT: xtcp $xw bytes, linux tcp $tw_ bytes, xtcp/tcp $(ratio "$xw" "$tw_")"
done
