#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Per-connection kernel memory inside the VM: xtcpconns holds N idle
# established connections (XTCP_BENCH_CONNS, default 10000) over xtcp, then
# over Linux TCP, between namespaces bs (10.7.0.1) and bc joined by veth
# (made here unless scripts/vm/bench-guest.sh made them), and prints each
# one's growth per connection, both ends counted, with the slab caches
# that grew, and the xtcp/tcp ratios.
#
# TAP, one line per family and check: all N connections established (both
# ends ESTABLISHED), and memory back near the baseline after closing (a
# leak fails); and a check of that check: 2000 of 4000 connections left
# open must be reported as a leak.  The figures and ratios are never judged.
IP=/sbin/ip
CONNS=${XTCP_BENCH_CONNS:-10000}

if [ ! -e /run/netns/bs ] && [ ! -e /var/run/netns/bs ]; then
	$IP netns add bs
	$IP netns add bc
	$IP link add veth0 netns bs type veth peer name veth0 netns bc
	$IP -n bs addr add 10.7.0.1/24 dev veth0
	$IP -n bc addr add 10.7.0.2/24 dev veth0
	for ns in bs bc; do
		$IP -n $ns link set veth0 up
		$IP -n $ns link set lo up
	done
fi

# bytes FILE FIELD: the bytes/connection figure of FIELD (Slab, MemFree+pcp).
bytes() { awk -v f="$2" '$1 == f { print $4; exit }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

echo "1..5"
echo "# memory of $CONNS idle established connections, both ends counted"
n=0
for fam in xtcp tcp; do
	flag=
	[ $fam = tcp ] && flag=-4
	xtcpconns $flag -n "$CONNS" -p 9000 >/tmp/mem-$fam.txt 2>&1
	rc=$?
	sed 's/^/# /' /tmp/mem-$fam.txt
	n=$((n + 1))
	if [ $rc -le 3 ] && [ $((rc & 1)) = 0 ]; then
		echo "ok $n $fam: $CONNS connections established"
	else
		echo "not ok $n $fam: $CONNS connections established"
	fi
	n=$((n + 1))
	if [ $rc -le 3 ] && [ $((rc & 2)) = 0 ]; then
		echo "ok $n $fam: memory back after closing"
	else
		echo "not ok $n $fam: memory back after closing (exit status $rc)"
	fi
done

# The leak check must fire when half of the connections stay open.
xtcpconns -n 4000 -k 2000 -w 1 -p 9001 >/tmp/mem-keep.txt 2>&1
rc=$?
if [ $rc = 2 ]; then
	echo "ok 5 leak check fires with 2000 of 4000 xtcp connections kept open"
else
	sed 's/^/# /' /tmp/mem-keep.txt
	echo "not ok 5 leak check fires with 2000 of 4000 xtcp connections kept open (exit status $rc, 2 expected)"
fi

xs=$(bytes /tmp/mem-xtcp.txt Slab)
ts=$(bytes /tmp/mem-tcp.txt Slab)
xf=$(bytes /tmp/mem-xtcp.txt MemFree+pcp)
tf=$(bytes /tmp/mem-tcp.txt MemFree+pcp)
echo "# per connection (both ends): slab xtcp $xs bytes, linux tcp $ts bytes, xtcp/tcp $(ratio "$xs" "$ts")"
echo "# per connection (both ends): free pages xtcp $xf bytes, linux tcp $tf bytes, xtcp/tcp $(ratio "$xf" "$tf")"
