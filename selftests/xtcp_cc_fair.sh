#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xtcp_cc_fair.sh - two flows through one bottleneck share it fairly.
#
# Three network namespaces in a line, senders -> router -> receiver,
# joined by veth (GSO off, so netem sees single segments of both
# transports).  The router's egress toward the receiver is the bottleneck
# (not the senders' own egress: a full qdisc there answers NET_XMIT_DROP
# to the sending stack instead of losing the packet in the network):
#
#   netem rate XTCP_CC_RATE (10mbit) delay XTCP_CC_DELAY (20ms)
#         limit XTCP_CC_LIMIT (43)
#
# netem counts the packets in its delay line against the limit: at
# 10 Mbit/s 20 ms hold about 17 full-sized packets, so 43 leaves a
# standing queue of about 1.5 BDP.  ACKs go back unimpeded.  Each scenario
# runs two bulk flows from the sender namespace at once for XTCP_CC_SECS
# (30) seconds; one xtcp_flow receiver counts the bytes each delivers per
# second.  Over the last half of the run (the first half is slow start and
# convergence):
#
#   xtcp+xtcp  two xtcp CUBIC flows: Jain's fairness index
#              (x1 + x2)^2 / (2 (x1^2 + x2^2)) >= 0.9          asserted
#   xtcp+tcp   an xtcp CUBIC flow and a Linux TCP CUBIC flow: each gets
#              between 1/3 and 2/3 of the bytes delivered       asserted
#   tcp+tcp    two Linux TCP CUBIC flows: the same index, as a
#              reference                                         printed
#
# Each flow's share, the index, the link utilisation and the senders'
# final cwnd/retransmissions are printed as TAP comments.
#
# Environment: XTCP_CC_SECS (30), XTCP_CC_RATE (10mbit), XTCP_CC_DELAY
# (20ms), XTCP_CC_LIMIT (43), XTCP_CC_ALGO (cubic), XTCP_CC_ONLY ("xtcp+tcp":
# only these scenarios).
#
# Runs from its own directory with xtcp_flow (make -C selftests) beside it;
# needs root, ip and tc (veth, sch_netem).  Prints TAP; exit status 0 when
# nothing failed.  Not part of run_all.sh: scripts/test runs it as the
# vm-cc stage (XTCP_TEST_CC=0 skips it).

cd "$(dirname "$0")" || exit 1
PATH=$PWD:$PATH:/sbin:/usr/sbin

SECS=${XTCP_CC_SECS:-30}
RATE=${XTCP_CC_RATE:-10mbit}
DELAY=${XTCP_CC_DELAY:-20ms}
LIMIT=${XTCP_CC_LIMIT:-43}
ALGO=${XTCP_CC_ALGO:-cubic}
ONLY=${XTCP_CC_ONLY:-}

NA=xccf_a$$ NR=xccf_r$$ NB=xccf_b$$
A=10.78.0.1 RA=10.78.0.254 RB=10.78.1.254 B=10.78.1.2
TMP=${TMPDIR:-/tmp}/xtcp_cc_fair.$$
port=7300
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
note() { echo "# $*"; }

wanted() { [ -z "$ONLY" ] || case " $ONLY " in *" $1 "*) true ;; *) false ;; esac; }

cleanup() {
	trap - EXIT INT TERM
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del $NA 2>/dev/null
	ip netns del $NR 2>/dev/null
	ip netns del $NB 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mac() { ip -n "$1" -o link show "$2" | awk '{ for (i = 1; i < NF; i++) if ($i == "link/ether") print $(i + 1) }'; }

# link NS1 DEV1 IP1 NS2 DEV2 IP2: a veth pair (GSO off), addresses, static
# neighbours (no ARP: a full netem queue must not starve it).
link() {
	ip link add "$2" netns "$1" gso_max_segs 1 type veth \
		peer name "$5" netns "$4" gso_max_segs 1 &&
	ip -n "$1" addr add "$3/24" dev "$2" && ip -n "$4" addr add "$6/24" dev "$5" &&
	ip -n "$1" link set "$2" up && ip -n "$4" link set "$5" up &&
	ip -n "$1" neigh replace "$6" lladdr "$(mac "$4" "$5")" dev "$2" nud permanent &&
	ip -n "$4" neigh replace "$3" lladdr "$(mac "$1" "$2")" dev "$5" nud permanent
}

# Senders in $NA, a router $NR, the receiver in $NB.  The bottleneck is
# the router's egress toward $NB: a drop there is a network loss.  On the
# senders' own egress a full qdisc would answer NET_XMIT_DROP to the
# sending stack, which Linux TCP takes as local congestion and xtcp not.
net_up() {
	ip netns add $NA && ip netns add $NR && ip netns add $NB &&
	link $NA va $A $NR ra $RA && link $NR rb $RB $NB vb $B &&
	ip -n $NA route add default via $RA && ip -n $NB route add default via $RB ||
		return 1
	ip netns exec $NR sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward' || return 1
	for ns in $NA $NR $NB; do
		ip -n $ns link set lo up
		# Every Linux TCP flow starts afresh (no cached ssthresh).
		ip netns exec $ns sh -c 'echo 1 > /proc/sys/net/ipv4/tcp_no_metrics_save;
			echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6' 2>/dev/null
	done
	return 0
}

listening() { # TRANSPORT PORT
	if [ "$1" = xtcp ]; then
		ip netns exec $NB awk '$1 == "LISTEN" && $2 > 0 { f = 1 } END { exit !f }' /proc/net/xtcp
	else
		ip netns exec $NB awk -v p="$(printf ':%04X' "$2")" \
			'$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' /proc/net/tcp
	fi
}

. ./lib.sh	# until_true (run from this directory: see the cd above)

opt() { [ "$1" = tcp ] && echo -4 || echo -x; }
sendopt() { [ "$1" = tcp ] && echo -4; }

# run NAME TR1 TR2: two flows for SECS seconds; leaves the per-second
# counts in $TMP/NAME.out ("sec N B1 B2", "total B1 B2"); returns 0 if the
# receiver and both senders completed.
run() {
	name=$1 t1=$2 t2=$3
	p1=$((port + 1)) p2=$((port + 2))
	port=$((port + 2))
	out=$TMP/$name.out
	ip netns exec $NB timeout $((SECS + 60)) xtcp_flow recv -t "$SECS" \
		"$(opt $t1)" $p1 "$(opt $t2)" $p2 >"$out" 2>"$TMP/$name.rx" &
	rpid=$!
	if ! until_true 100 listening $t1 $p1 || ! until_true 100 listening $t2 $p2; then
		note "  receiver did not listen: $(cat "$TMP/$name.rx")"
		kill $rpid 2>/dev/null
		wait $rpid 2>/dev/null
		return 1
	fi
	ip netns exec $NA xtcp_flow send $(sendopt $t1) -C "$ALGO" -t $((SECS + 60)) \
		$B $p1 2>"$TMP/$name.tx1" &
	s1=$!
	ip netns exec $NA xtcp_flow send $(sendopt $t2) -C "$ALGO" -t $((SECS + 60)) \
		$B $p2 2>"$TMP/$name.tx2" &
	s2=$!
	wait $rpid
	rrc=$?
	wait $s1
	rc1=$?
	wait $s2
	rc2=$?
	note "  flow 1 ($t1) sender: $(cat "$TMP/$name.tx1")"
	note "  flow 2 ($t2) sender: $(cat "$TMP/$name.tx2")"
	[ -s "$TMP/$name.rx" ] && note "  receiver: $(tr '\n' ' ' <"$TMP/$name.rx")"
	if [ $rrc -ne 0 ] || [ $rc1 -ne 0 ] || [ $rc2 -ne 0 ]; then
		note "  exit status: receiver $rrc, senders $rc1 $rc2"
		return 1
	fi
	return 0
}

# stats NAME: "X1 X2 SHARE1 SHARE2 JAIN MBITS" over the last half.
stats() {
	awk -v secs="$SECS" '
		$1 == "sec" && $2 >= int(secs / 2) { x1 += $3; x2 += $4; k++ }
		END {
			t = x1 + x2
			if (t == 0 || k == 0) { print "0 0 0 0 0 0"; exit }
			j = t * t / (2 * (x1 * x1 + x2 * x2))
			printf "%d %d %.3f %.3f %.3f %.2f\n", x1, x2, x1 / t, x2 / t, j,
				t * 8 / k / 1e6
		}' "$TMP/$1.out"
}

per_second() { # NAME: the per-second counts in KB, one comment line
	awk '$1 == "sec" { s = s sprintf(" %d/%d", $3 / 1000, $4 / 1000) }
		END { print "  KB per second (flow 1/flow 2):" s }' "$TMP/$1.out"
}

scenario() { # NAME TR1 TR2
	name=$1 t1=$2 t2=$3
	wanted "$name" || return 0
	desc="$t1 $ALGO + $t2 $ALGO, $SECS s through netem rate $RATE delay $DELAY limit $LIMIT"
	if [ -n "$NETEM_MISSING" ]; then
		if [ "${XTCP_VM:-0}" = 1 ]; then
			not_ok "$name: $desc # netem: $NETEM_MISSING"
		else
			skip "$name: $desc" "netem unavailable here: $NETEM_MISSING"
		fi
		return
	fi
	if ! run "$name" "$t1" "$t2"; then
		case $name in
		tcp+tcp) skip "$name: $desc (reference)" "the run failed" ;;
		*) not_ok "$name: $desc: both flows run for the whole time" ;;
		esac
		return
	fi
	set -- $(stats "$name")
	x1=$1 x2=$2 sh1=$3 sh2=$4 jain=$5 mbit=$6
	note "$(per_second "$name")"
	note "  last $((SECS - SECS / 2)) s: flow 1 $x1 B (share $sh1), flow 2 $x2 B (share $sh2), Jain's index $jain, $mbit Mbit/s in all"
	case $name in
	xtcp+xtcp)
		line="$name: $desc: Jain's index over the last half >= 0.9 ($jain)"
		if awk -v j="$jain" 'BEGIN { exit !(j >= 0.9) }'; then ok "$line"; else not_ok "$line"; fi
		;;
	xtcp+tcp)
		line="$name: $desc: each gets 1/3..2/3 of the last half (xtcp $sh1, tcp $sh2)"
		if awk -v a="$sh1" -v b="$sh2" \
			'BEGIN { exit !(a >= 1 / 3 && a <= 2 / 3 && b >= 1 / 3 && b <= 2 / 3) }'; then
			ok "$line"
		else
			not_ok "$line"
		fi
		;;
	tcp+tcp)
		ok "$name: $desc (reference, not asserted): Jain's index $jain"
		;;
	esac
}

echo "TAP version 13"
note "xtcp_cc_fair.sh: XTCP_CC_SECS=$SECS XTCP_CC_RATE=$RATE XTCP_CC_DELAY=$DELAY XTCP_CC_LIMIT=$LIMIT XTCP_CC_ALGO=$ALGO"
if ! [ -d /sys/module/xtcp ]; then
	modprobe xtcp 2>/dev/null
	[ -d /sys/module/xtcp ] || note "xtcp is not loaded: its scenarios will fail"
fi
mkdir -p "$TMP" || exit 1
if ! net_up; then
	not_ok "set up namespaces $NA, $NR, $NB and veth"
	echo "1..$n"
	exit 1
fi
NETEM_MISSING=$(tc -n $NR qdisc replace dev rb root netem rate "$RATE" delay "$DELAY" \
	limit "$LIMIT" 2>&1 >/dev/null) && NETEM_MISSING=
[ -z "$NETEM_MISSING" ] || note "netem: $NETEM_MISSING"

scenario xtcp+xtcp xtcp xtcp
scenario xtcp+tcp xtcp tcp
scenario tcp+tcp tcp tcp

echo "1..$n"
[ "$failed" -eq 0 ]
