#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xtcp_pmtu.sh - path MTU discovery (RFC 1191), xtcp next to Linux TCP.
#
# Three namespaces: client C -- router R -- server S, every link with an
# interface MTU of 1500, but R forwards to either side over routes with
# "mtu 1280".  Neither end can see the narrow hop: the MSS both announce
# (1460) is too large, every full segment is dropped at R with an ICMP
# "fragmentation needed, next-hop MTU 1280", and the transfer completes
# only if the sender lowers its MSS from that ICMP.  Each transport moves
# XTCP_PMTU_MB (2) MiB client -> server and server -> client in fresh
# namespaces (so no route remembers the MTU from an earlier run):
#
#   - the bytes arrive exactly (SHA-256), within XTCP_PMTU_TIMEOUT (60) s;
#   - the sender's route to its peer now carries "mtu 1280";
#   - xtcp: the sender counted PmtuReductions.
#
# Runs from its own directory with xtcpcat and xtcp_keepalive beside it
# (make -C selftests); busybox sh; needs root, ip.  Prints TAP.

cd "$(dirname "$0")" || exit 1
PATH=$PWD:$PATH:/sbin:/usr/sbin

MB=${XTCP_PMTU_MB:-2}
TMO=${XTCP_PMTU_TIMEOUT:-60}
NC=xpmtu_c$$ NR=xpmtu_r$$ NS=xpmtu_s$$
C=10.78.1.1 R1=10.78.1.2 R2=10.78.2.1 S=10.78.2.2
TMP=${TMPDIR:-/tmp}/xtcp_pmtu.$$
port=7300
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - $1"; }
note() { echo "# $*"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; return 1; fi; }

net_down() {
	for ns in $NC $NR $NS; do ip netns del $ns 2>/dev/null; done
}

cleanup() {
	trap - EXIT INT TERM
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	net_down
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

net_up() {
	net_down
	ip netns add $NC && ip netns add $NR && ip netns add $NS &&
	ip link add c0 netns $NC gso_max_segs 1 type veth \
		peer name r1 netns $NR gso_max_segs 1 &&
	ip link add s0 netns $NS gso_max_segs 1 type veth \
		peer name r2 netns $NR gso_max_segs 1 &&
	ip -n $NC addr add $C/24 dev c0 && ip -n $NS addr add $S/24 dev s0 &&
	ip -n $NR addr add $R1/24 dev r1 && ip -n $NR addr add $R2/24 dev r2 &&
	for d in $NC:c0 $NR:r1 $NR:r2 $NS:s0; do
		ip -n "${d%%:*}" link set "${d#*:}" up || return 1
	done &&
	ip -n $NC route add default via $R1 && ip -n $NS route add default via $R2 &&
	ip netns exec $NR sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward' &&
	# The narrow hop, in both directions, invisible to either end.
	ip -n $NR route replace 10.78.1.0/24 dev r1 src $R1 mtu 1280 &&
	ip -n $NR route replace 10.78.2.0/24 dev r2 src $R2 mtu 1280 || return 1
	for ns in $NC $NS; do
		ip netns exec $ns sh -c 'echo 1 > /proc/sys/net/ipv4/tcp_no_metrics_save' 2>/dev/null
	done
	return 0
}

counter() { # NS NAME: an xtcp counter, 0 if absent
	ip netns exec "$1" awk -v k="$2" '$1 == k { v = $2 } END { print v + 0 }' \
		/proc/net/xtcp_stat 2>/dev/null || echo 0
}

listening() { # TRANSPORT PORT
	if [ "$1" = xtcp ]; then
		ip netns exec $NS awk '$1 == "LISTEN" && $2 > 0 { f = 1 } END { exit !f }' /proc/net/xtcp
	else
		ip netns exec $NS awk -v p="$(printf ':%04X' "$2")" \
			'$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' /proc/net/tcp
	fi
}

wait_listen() { # TRANSPORT PORT
	t=100
	while [ $t -gt 0 ]; do
		listening "$1" "$2" && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}

# run TRANSPORT DIR: one transfer in fresh namespaces, then the checks.
run() {
	tr=$1 dir=$2 f="" out=$TMP/out
	[ "$tr" = tcp ] && f=-4
	port=$((port + 1))
	rm -f "$out"
	if ! net_up; then
		not_ok "$tr $dir: network setup"
		return
	fi
	if [ "$dir" = c2s ]; then
		sender=$NC peer=$S what="client -> server"
		ip netns exec $NS timeout "$TMO" xtcpcat $f -l $port >"$out" 2>"$TMP/srv.err" &
	else
		sender=$NS peer=$C what="server -> client"
		ip netns exec $NS timeout "$TMO" xtcp_keepalive -s $f $port \
			<"$TMP/data" 2>"$TMP/srv.err" &
	fi
	spid=$!
	if ! wait_listen "$tr" $port; then
		not_ok "$tr $what: server listens"
		kill $spid 2>/dev/null
		return
	fi
	before=$(counter $sender PmtuReductions)
	if [ "$dir" = c2s ]; then
		ip netns exec $NC timeout "$TMO" xtcpcat $f $S $port \
			<"$TMP/data" >/dev/null 2>"$TMP/cli.err"
	else
		ip netns exec $NC timeout "$TMO" xtcpcat $f $S $port \
			</dev/null >"$out" 2>"$TMP/cli.err"
	fi
	crc=$?
	wait $spid
	src=$?
	sum=$(sha256sum <"$out" | cut -d' ' -f1)
	if ! check "$tr $MB MiB $what across a 1280-byte hop: byte-exact" \
		'[ "$sum" = "$(cat "$TMP/data.sha")" ] && [ $crc -eq 0 ] && [ $src -eq 0 ]'; then
		note "  received $(wc -c <"$out") bytes; client exit $crc, server exit $src;" \
			"$(head -c 200 "$TMP/cli.err" "$TMP/srv.err" 2>/dev/null | tr '\n' ' ')"
		ip netns exec $NR cat /proc/net/snmp | grep -E "^(Ip|Icmp):" | sed 's/^/#   R /'
		[ "$tr" = xtcp ] && for ns in $NC $NS; do
			note "  $ns: $(ip netns exec $ns cat /proc/net/xtcp_stat | tr '\n' ' ')"
		done
	fi
	route=$(ip -n $sender route get $peer 2>&1 | tr '\n' ' ')
	check "$tr $what: the sender's route learnt mtu 1280" \
		'case "$route" in *"mtu 1280"*) true ;; *) false ;; esac' ||
		note "  ip route get $peer: $route"
	if [ "$tr" = xtcp ]; then
		after=$(counter $sender PmtuReductions)
		check "xtcp $what: the sender counted PmtuReductions ($before -> $after)" \
			'[ "$after" -gt "$before" ]'
	fi
}

echo "TAP version 13"
mkdir -p "$TMP" || exit 1
head -c $((MB * 1048576)) /dev/urandom >"$TMP/data" || exit 1
sha256sum <"$TMP/data" | cut -d' ' -f1 >"$TMP/data.sha"

for tr in ${XTCP_PMTU_TRANSPORTS:-xtcp tcp}; do
	for dir in ${XTCP_PMTU_DIRS:-c2s s2c}; do
		run $tr $dir
	done
done
echo "1..$n"
[ $failed -eq 0 ]
