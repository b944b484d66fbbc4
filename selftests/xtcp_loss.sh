#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xtcp_loss.sh - reliable delivery over a bad link, xtcp next to Linux TCP.
#
# Two network namespaces joined by veth, with netem on the egress of BOTH
# ends (data and ACKs suffer alike; GSO is off on the veth pair, so netem
# acts on single segments for both transports).  Every scenario moves a
# random file over xtcp (AF_XTCP) and over Linux TCP (AF_INET) in the same
# run and compares SHA-256 with the source:
#
#   loss1     loss 1%          + fast retransmit repairs the losses
#   loss5     loss 5%            (FastRetransmits > 0, >= RtoTimeouts)
#   reorder   delay 10ms reorder 25% 50%
#   dup       duplicate 5%
#   corrupt   corrupt 2%       + the receiver counted InCsumErrors
#   delay     delay 100ms 20ms
#   rate      rate 20mbit limit 200 (a ~120 ms bottleneck queue; the
#             others have limit 10000, as 100 ms of delay needs more than
#             netem's default 1000 packets)
#   loss20    loss 20% on the client's egress only, XTCP_LOSS_HEAVY_MB (2 MiB)
#
# each XTCP_LOSS_MB (16) MiB client -> server (c->s) and server -> client
# (s->c: the server sends, the client half-closes at once and receives).
# Then, on a clean link:
#
#   zwin      the receiver stops reading for XTCP_LOSS_ZWIN_S (30) s: the
#             sender probes the zero window, the transfer completes exactly
#   keepalive SO_KEEPALIVE, TCP_KEEPIDLE 1, TCP_KEEPINTVL 1, TCP_KEEPCNT 3,
#             then netem loss 100% both ways: the blocked recv() fails
#             with ETIMEDOUT 1 + 3 * 1 s after the last segment received
#
# Durations are printed as TAP comments ("# xtcp 16 MiB loss 5% c->s:
# 3.20 s; tcp: 1.50 s"), never asserted.  A counter that /proc/net/xtcp_stat
# does not have (yet) makes its assertion SKIP.  Every transfer runs under
# "timeout XTCP_LOSS_TIMEOUT" (default 60 s + 15 s per MiB, 300 s per MiB
# at 20% loss: Linux TCP's RTO backoff needs ~140 s per MiB there), so a
# stalled connection fails its line instead of hanging the suite.
#
# Environment:
#   XTCP_LOSS_MB (16), XTCP_LOSS_HEAVY_MB (2), XTCP_LOSS_ZWIN_S (30),
#   XTCP_LOSS_TIMEOUT (seconds per transfer), XTCP_LOSS_KA_SLACK (3 s),
#   XTCP_LOSS_RATE_LIMIT (200 packets), XTCP_LOSS_ONLY ("loss5 zwin": run
#   only these scenarios), XTCP_SKIP_XTCP=1 (Linux TCP only: runs on a host
#   without the module), XTCP_SKIP_TCP=1.
#
# Runs from its own directory with xtcpcat and xtcp_keepalive (make -C
# selftests) beside it; busybox or bash sh; needs root, ip and tc (veth,
# sch_netem).  Prints TAP; exit status 0 when nothing failed.

cd "$(dirname "$0")" || exit 1
PATH=$PWD:$PATH:/sbin:/usr/sbin

MB=${XTCP_LOSS_MB:-16}
HEAVY_MB=${XTCP_LOSS_HEAVY_MB:-2}
ZWIN_S=${XTCP_LOSS_ZWIN_S:-30}
KA_SLACK=${XTCP_LOSS_KA_SLACK:-3}
RATE_LIMIT=${XTCP_LOSS_RATE_LIMIT:-200}
ONLY=${XTCP_LOSS_ONLY:-}

NA=xloss_a$$ NB=xloss_b$$
A=10.77.0.1 B=10.77.0.2
TMP=${TMPDIR:-/tmp}/xtcp_loss.$$
port=7100
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
note() { echo "# $*"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

wanted() { [ -z "$ONLY" ] || case " $ONLY " in *" $1 "*) true ;; *) false ;; esac; }
transports() {
	[ "${XTCP_SKIP_XTCP:-0}" = 1 ] || printf 'xtcp '
	[ "${XTCP_SKIP_TCP:-0}" = 1 ] || printf 'tcp'
}

# Centiseconds since boot.
now_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
secs() { awk -v c="$1" 'BEGIN { printf "%.2f", c / 100 }'; }

cleanup() {
	trap - EXIT INT TERM
	exec 3>&- 2>/dev/null
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del $NA 2>/dev/null
	ip netns del $NB 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mac() { ip -n "$1" -o link show "$2" | awk '{ for (i = 1; i < NF; i++) if ($i == "link/ether") print $(i + 1) }'; }

net_up() {
	ip netns add $NA && ip netns add $NB &&
	ip link add va netns $NA gso_max_segs 1 type veth \
		peer name vb netns $NB gso_max_segs 1 &&
	ip -n $NA addr add $A/24 dev va && ip -n $NB addr add $B/24 dev vb &&
	ip -n $NA link set va up && ip -n $NB link set vb up &&
	ip -n $NA link set lo up && ip -n $NB link set lo up &&
	# No ARP: a lost ARP request must not stall a scenario.
	ip -n $NA neigh replace $B lladdr "$(mac $NB vb)" dev va nud permanent &&
	ip -n $NB neigh replace $A lladdr "$(mac $NA va)" dev vb nud permanent ||
		return 1
	for ns in $NA $NB; do
		# Each Linux TCP connection starts afresh (no cached ssthresh).
		ip netns exec $ns sh -c 'echo 1 > /proc/sys/net/ipv4/tcp_no_metrics_save;
			echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6' 2>/dev/null
	done
	return 0
}

# netem ARGS...: the same netem qdisc on both egresses; no ARGS: none.
# netem ARGS...: the same netem on the egress of both ends, or only of the
# client's ($NA) when NETEM_CLIENT_ONLY=1 (loss on one path only).
netem() {
	sides="$NA:va $NB:vb"
	[ "${NETEM_CLIENT_ONLY:-0}" = 1 ] && sides="$NA:va"
	tc -n $NB qdisc del dev vb root 2>/dev/null
	for d in $sides; do
		ns=${d%%:*} dev=${d#*:}
		if [ $# -eq 0 ]; then
			tc -n $ns qdisc del dev $dev root 2>/dev/null
		else
			# netem's default limit (1000 packets) would drop on its
			# own under 100 ms of delay; rate sets a smaller one.
			case " $* " in
			*" limit "*) lim="" ;;
			*) lim="limit 10000" ;;
			esac
			tc -n $ns qdisc replace dev $dev root netem "$@" $lim || return 1
		fi
	done
	return 0
}

# snap NS FILE: the namespace's counters as "x:Name value" (xtcp_stat) and
# "l:Tcp.Name value", "l:TcpExt.Name value" (Linux) lines.
snap() {
	ip netns exec "$1" sh -c 'sed "s/^/x:/" /proc/net/xtcp_stat 2>/dev/null;
		cat /proc/net/snmp /proc/net/netstat' | awk '
		/^x:/ { print; next }
		!($1 in hdr) { hdr[$1] = $0; next }
		{ split(hdr[$1], h); p = $1; sub(":$", "", p)
		  for (i = 2; i <= NF; i++) print "l:" p "." h[i], $i }' >"$2"
}

# delta BEFORE AFTER KEY: the increase, or nothing if AFTER lacks KEY.
delta() {
	awk -v k="$3" 'FNR == NR { if ($1 == k) b = $2; next }
		$1 == k { printf "%d\n", $2 - b }' "$1" "$2"
}

# deltas BEFORE AFTER KEY...: "Name=d Name=d ..." for the keys present.
deltas() {
	b=$1 a=$2
	shift 2
	out=""
	for k in "$@"; do
		d=$(delta "$b" "$a" "$k")
		[ -n "$d" ] && out="$out ${k#*:}=$d"
	done
	echo "${out# }"
}

listening() { # TRANSPORT NS PORT
	if [ "$1" = xtcp ]; then
		ip netns exec "$2" awk '$1 == "LISTEN" && $2 > 0 { f = 1 } END { exit !f }' /proc/net/xtcp
	else
		ip netns exec "$2" awk -v p="$(printf ':%04X' "$3")" \
			'$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' /proc/net/tcp
	fi
}

. ./lib.sh	# until_true (run from this directory: see the cd above)

fam() { [ "$1" = tcp ] && echo -4; }

make_data() { # MiB -> $TMP/data.MiB and its digest
	[ -f "$TMP/data.$1" ] && return 0
	head -c $(($1 * 1048576)) /dev/urandom >"$TMP/data.$1" || return 1
	sha256sum <"$TMP/data.$1" | cut -d' ' -f1 >"$TMP/data.$1.sha"
}

# xfer TRANSPORT DIR MiB [TIMEOUT [RECEIVER-PAUSE]]: one transfer.  Sets
# XF_OK (1 byte-exact and both ends exited 0), XF_CS (duration), XF_WHY,
# and leaves counter snapshots in $TMP/{tx,rx}.{0,1}.
xfer() {
	tr=$1 dir=$2 mb=$3 tmo=${4:-${XTCP_LOSS_TIMEOUT:-$((60 + 15 * $3))}}
	pause=${5:-0}
	f=$(fam "$tr") data=$TMP/data.$mb out=$TMP/out
	port=$((port + 1))
	rm -f "$out" "$TMP/srv.err" "$TMP/cli.err" "$TMP/srv.rc"
	if [ "$dir" = c2s ]; then
		txns=$NA rxns=$NB
	else
		txns=$NB rxns=$NA
	fi
	snap $txns "$TMP/tx.0"
	snap $rxns "$TMP/rx.0"
	# The server is always in $NB, the client in $NA.
	if [ "$dir" = c2s ] && [ "$pause" -gt 0 ]; then
		# A reader that sleeps: xtcpcat blocks on the full pipe.
		ip netns exec $NB sh -c "{ timeout $tmo xtcpcat $f -l $port; echo \$? >$TMP/srv.rc; } |
			{ sleep $pause; cat >$out; }; exit \$(cat $TMP/srv.rc)" 2>"$TMP/srv.err" &
	elif [ "$dir" = c2s ]; then
		ip netns exec $NB timeout "$tmo" xtcpcat $f -l $port \
			>"$out" 2>"$TMP/srv.err" &
	else
		ip netns exec $NB timeout "$tmo" xtcp_keepalive -s $f $port \
			<"$data" 2>"$TMP/srv.err" &
	fi
	spid=$!
	if ! until_true 100 listening "$tr" $NB $port; then
		kill $spid 2>/dev/null
		wait $spid 2>/dev/null
		XF_OK=0 XF_CS=0 XF_WHY="server did not listen: $(cat "$TMP/srv.err")"
		return
	fi
	t0=$(now_cs)
	if [ "$dir" = c2s ]; then
		ip netns exec $NA timeout "$tmo" xtcpcat $f $B $port \
			<"$data" >/dev/null 2>"$TMP/cli.err"
	else
		ip netns exec $NA timeout "$tmo" xtcpcat $f $B $port \
			</dev/null >"$out" 2>"$TMP/cli.err"
	fi
	crc=$?
	XF_CS=$(($(now_cs) - t0))
	wait $spid 2>/dev/null
	src=$?
	snap $txns "$TMP/tx.1"
	snap $rxns "$TMP/rx.1"
	got=0 sum=none
	if [ -f "$out" ]; then
		got=$(($(wc -c <"$out")))
		sum=$(sha256sum <"$out" | cut -d' ' -f1)
	fi
	XF_OK=0 XF_WHY=""
	if [ "$sum" = "$(cat "$data.sha")" ] && [ $crc -eq 0 ] && [ $src -eq 0 ]; then
		XF_OK=1
		return
	fi
	XF_WHY="received $got of $(($mb * 1048576)) bytes"
	[ "$sum" = "$(cat "$data.sha")" ] || [ "$got" -ne $(($mb * 1048576)) ] ||
		XF_WHY="$XF_WHY, SHA-256 differs ($(cmp "$data" "$out" 2>&1 | head -1))"
	XF_WHY="$XF_WHY; client exit $crc, server exit $src after $(secs $XF_CS) s"
	[ $XF_CS -ge $((tmo * 100)) ] && XF_WHY="$XF_WHY (timeout $tmo s)"
	for e in cli srv; do
		[ -s "$TMP/$e.err" ] && XF_WHY="$XF_WHY; $e: $(head -c 300 "$TMP/$e.err" | tr '\n' ' ')"
	done
}

# Counters worth seeing after a transfer: sender's, then receiver's.
show_counters() { # TRANSPORT
	if [ "$1" = xtcp ]; then
		note "  xtcp sender: $(deltas "$TMP/tx.0" "$TMP/tx.1" x:OutSegs x:RetransSegs \
			x:RtoTimeouts x:FastRetransmits x:SackRecoveries x:ZeroWindowProbes)"
		note "  xtcp receiver: $(deltas "$TMP/rx.0" "$TMP/rx.1" x:InSegs x:OutOfOrder \
			x:InCsumErrors x:DropsOutOfWindow x:RcvQueueDrops x:DelayedAcks)"
	else
		note "  tcp sender: $(deltas "$TMP/tx.0" "$TMP/tx.1" l:Tcp.OutSegs l:Tcp.RetransSegs \
			l:TcpExt.TCPTimeouts l:TcpExt.TCPFastRetrans l:TcpExt.TCPSackRecovery \
			l:TcpExt.TCPWinProbe)"
		note "  tcp receiver: $(deltas "$TMP/rx.0" "$TMP/rx.1" l:Tcp.InSegs \
			l:TcpExt.TCPOFOQueue l:Tcp.InCsumErrors l:TcpExt.TCPDelayedAck)"
	fi
}

dirname_of() { [ "$1" = c2s ] && echo "c->s" || echo "s->c"; }

# key TRANSPORT WHAT: the key of a counter in snap files.
key() {
	case $1.$2 in
	xtcp.fast) echo x:FastRetransmits ;;
	xtcp.rto) echo x:RtoTimeouts ;;
	xtcp.csum) echo x:InCsumErrors ;;
	xtcp.zwp) echo x:ZeroWindowProbes ;;
	tcp.fast) echo l:TcpExt.TCPFastRetrans ;;
	tcp.rto) echo l:TcpExt.TCPTimeouts ;;
	tcp.csum) echo l:Tcp.InCsumErrors ;;
	tcp.zwp) echo l:TcpExt.TCPWinProbe ;;
	esac
}

# no_netem WHAT: SKIP WHAT where netem is missing (a host without
# sch_netem), but fail in the VM, which must have it.  Returns 0 if so.
no_netem() {
	[ -n "$NETEM_MISSING" ] || return 1
	if [ "${XTCP_VM:-0}" = 1 ]; then
		not_ok "$1 # netem: $NETEM_MISSING"
	else
		skip "$1" "netem unavailable here: $NETEM_MISSING"
	fi
	return 0
}

# scenario NAME MiB TIMEOUT NETEM-ARGS...
scenario() {
	name=$1 mb=$2 stmo=${XTCP_LOSS_TIMEOUT:-$3}
	shift 3
	wanted "$name" || return 0
	desc="$*"
	no_netem "$name: $desc" && return
	if ! netem "$@"; then
		not_ok "$name: tc qdisc ... netem $desc"
		return
	fi
	make_data "$mb" || { not_ok "$name: make $mb MiB of data"; return; }
	for dir in c2s s2c; do
		d=$(dirname_of $dir) summary=""
		for tr in $(transports); do
			xfer $tr $dir "$mb" "$stmo"
			line="$tr $mb MiB $d, $desc: byte-exact"
			if [ "$XF_OK" = 1 ]; then ok "$line"; else not_ok "$line"; note "  $XF_WHY"; fi
			show_counters $tr
			res="$(secs $XF_CS) s"
			[ "$XF_OK" = 1 ] || res="FAILED ($res)"
			summary="$summary${summary:+; }$tr: $res"
			case $name in
			corrupt) check_csum ;;
			loss1) check_fast_retransmit ;;
			esac
		done
		note "${summary%%:*} $mb MiB $desc $d:${summary#*:}"
	done
	netem
}

check_csum() {
	line="$tr $mb MiB $d, $desc: the receiver dropped and counted corrupt segments"
	c=$(delta "$TMP/rx.0" "$TMP/rx.1" "$(key $tr csum)")
	if [ -z "$c" ]; then
		skip "$line" "no $(key $tr csum | cut -c3-) counter"
	elif [ "$c" -gt 0 ]; then
		ok "$line"
		note "  InCsumErrors +$c"
	else
		not_ok "$line"
		note "  receiver's InCsumErrors did not increase"
	fi
}

check_fast_retransmit() {
	line="$tr $mb MiB $d, $desc: fast retransmit repairs losses (FastRetransmits > 0, >= RtoTimeouts)"
	fr=$(delta "$TMP/tx.0" "$TMP/tx.1" "$(key $tr fast)")
	rto=$(delta "$TMP/tx.0" "$TMP/tx.1" "$(key $tr rto)")
	if [ -z "$fr" ] || [ -z "$rto" ]; then
		skip "$line" "no $(key $tr fast | cut -c3-) counter in the sender's stats yet"
	elif [ "$XF_OK" = 1 ] && [ "$fr" -gt 0 ] && [ "$fr" -ge "$rto" ]; then
		ok "$line"
	else
		not_ok "$line"
		note "  sender: fast retransmits $fr, RTO timeouts $rto, transfer ok=$XF_OK"
	fi
}

zero_window() {
	wanted zwin || return 0
	netem
	make_data "$MB" || { not_ok "zwin: make $MB MiB of data"; return; }
	summary=""
	for tr in $(transports); do
		xfer $tr c2s "$MB" "${XTCP_LOSS_TIMEOUT:-$((60 + 15 * MB + ZWIN_S))}" "$ZWIN_S"
		line="$tr $MB MiB, receiver stops reading for $ZWIN_S s: the connection survives, byte-exact"
		if [ "$XF_OK" = 1 ]; then
			ok "$line"
		else
			not_ok "$line"
			note "  $XF_WHY"
		fi
		show_counters $tr
		line="$tr $MB MiB, receiver stops reading for $ZWIN_S s: the sender probes the zero window"
		p=$(delta "$TMP/tx.0" "$TMP/tx.1" "$(key $tr zwp)")
		if [ -z "$p" ]; then
			skip "$line" "no $(key $tr zwp | cut -c3-) counter in the sender's stats yet"
		elif [ "$p" -gt 0 ]; then
			ok "$line"
			note "  window probes: $p"
		else
			not_ok "$line"
			note "  no window probe counted"
		fi
		res="$(secs $XF_CS) s"
		[ "$XF_OK" = 1 ] || res="FAILED ($res)"
		summary="$summary${summary:+; }$tr: $res"
	done
	note "${summary%%:*} $MB MiB zero window ($ZWIN_S s pause):${summary#*:}"
}

keepalive() {
	wanted keepalive || return 0
	for tr in $(transports); do
		f=$(fam $tr)
		port=$((port + 1))
		line="$tr keepalive 1/1/3: recv() fails with ETIMEDOUT 4 s after the link is cut"
		no_netem "$line" && continue
		netem
		rm -f "$TMP/ka.fifo" "$TMP/ka.out"
		mkfifo "$TMP/ka.fifo"
		ip netns exec $NB timeout 60 xtcpcat $f -l $port >/dev/null 2>&1 &
		spid=$!
		until_true 100 listening $tr $NB $port
		snap $NA "$TMP/tx.0"
		XTCP_KA_BOUND=30 ip netns exec $NA timeout 60 xtcp_keepalive $f $B $port \
			<"$TMP/ka.fifo" >"$TMP/ka.out" 2>&1 &
		cpid=$!
		exec 3>"$TMP/ka.fifo"
		if ! until_true 100 grep -q connected "$TMP/ka.out"; then
			not_ok "$line"
			note "  $(cat "$TMP/ka.out")"
			exec 3>&-
			kill $spid $cpid 2>/dev/null
			wait $spid $cpid 2>/dev/null
			continue
		fi
		netem loss 100% || note "  tc qdisc ... netem loss 100% failed"
		echo go >&3
		exec 3>&-
		wait $cpid
		snap $NA "$TMP/tx.1"
		kill $spid 2>/dev/null
		wait $spid 2>/dev/null
		netem
		r=$(grep '^result' "$TMP/ka.out")
		e=$(echo "$r" | sed -n 's/.*errno=\([^ ]*\).*/\1/p')
		sc=$(echo "$r" | sed -n 's/.*since_connect=\([^ ]*\).*/\1/p')
		sg=$(echo "$r" | sed -n 's/.*since_go=\([^ ]*\).*/\1/p')
		# Linux: probes 1, 2, 3 s after the last segment received, the
		# error at 4 s.  The cut follows connect() by well under 1 s.
		if [ "$e" = ETIMEDOUT ] &&
		   awk -v c="$sc" -v g="$sg" -v s="$KA_SLACK" 'BEGIN { exit !(c >= 3.5 && g <= 4 + s) }'; then
			ok "$line"
		else
			not_ok "$line"
			note "  expected ETIMEDOUT >= 3.5 s after connect and <= $((4 + KA_SLACK)) s after the cut"
		fi
		note "  $tr: $(grep -v '^connected' "$TMP/ka.out" | tr '\n' ' ')"
		if [ $tr = xtcp ]; then
			note "  xtcp client: $(deltas "$TMP/tx.0" "$TMP/tx.1" x:KeepAliveProbes x:OutSegs)"
		else
			note "  tcp client: $(deltas "$TMP/tx.0" "$TMP/tx.1" l:TcpExt.TCPKeepAlive l:Tcp.OutSegs)"
		fi
	done
}

echo "TAP version 13"
note "xtcp_loss.sh: XTCP_LOSS_MB=$MB XTCP_LOSS_HEAVY_MB=$HEAVY_MB XTCP_LOSS_ZWIN_S=$ZWIN_S transports: $(transports)"
if [ "${XTCP_SKIP_XTCP:-0}" != 1 ] && ! [ -d /sys/module/xtcp ]; then
	modprobe xtcp 2>/dev/null
	[ -d /sys/module/xtcp ] || note "xtcp is not loaded: its lines will fail (XTCP_SKIP_XTCP=1 skips them)"
fi
mkdir -p "$TMP" || exit 1
if ! net_up; then
	not_ok "set up namespaces $NA, $NB and veth"
	echo "1..$n"
	exit 1
fi

NETEM_MISSING=$(tc -n $NA qdisc add dev va root netem delay 0ms 2>&1 >/dev/null) &&
	NETEM_MISSING=
netem
[ -z "$NETEM_MISSING" ] || note "netem: $NETEM_MISSING"

# Timeouts: 16 MiB take Linux TCP 1 to 10 s here; at 20% loss each way
# its RTO backoff makes 2 MiB take about 280 s (TCG), hence 300 s per MiB.
T=$((60 + 15 * MB))
scenario loss1 "$MB" $T loss 1%
scenario loss5 "$MB" $T loss 5%
scenario reorder "$MB" $T delay 10ms reorder 25% 50%
scenario dup "$MB" $T duplicate 5%
scenario corrupt "$MB" $T corrupt 2%
scenario delay "$MB" $T delay 100ms 20ms
scenario rate "$MB" $T rate 20mbit limit "$RATE_LIMIT"
# 20% on the client's egress only: the data of c->s and the ACKs of s->c.
# Loss both ways makes Linux TCP's own RTO backoff take minutes under TCG.
NETEM_CLIENT_ONLY=1
scenario loss20 "$HEAVY_MB" $((300 * HEAVY_MB)) loss 20%
NETEM_CLIENT_ONLY=0
zero_window
keepalive

echo "1..$n"
[ "$failed" -eq 0 ]
