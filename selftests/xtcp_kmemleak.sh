#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xtcp_kmemleak.sh - after xtcp has been exercised and unloaded, a kmemleak
# scan finds nothing (issue 5).  In the VM (busybox sh), on a kernel with
# CONFIG_DEBUG_KMEMLEAK (scripts/vm-run --kernel debug); elsewhere SKIP.
#
#   1. forget what kmemleak reported so far (scan + clear);
#   2. exercise xtcp: every state including TIME_WAIT (xtcp_states,
#      xtcp_transitions' simultaneous close),
#      out-of-order data and SACK (xtcp_sack), a SYN flood that fills the
#      SYN queue and is answered with cookies (xtcp_synflood),
#      congestion-control switches (xtcp_cc), and an xtcpcat transfer
#      during which the xtcp tool dumps over netlink and whose TIME_WAIT
#      ends by its timer (tw_timeout 1 s);
#   3. rmmod xtcp (polled: the binaries' namespaces go once their sockets'
#      timers have ended them);
#   4. scan, and require /sys/kernel/debug/kmemleak to be empty;
#   5. load xtcp again for the tests that follow.
#
# A leak an xtcp object still points to is invisible while the module is
# loaded; after rmmod nothing of xtcp's may remain.  Runs right after
# xtcp_module.sh in run_all.sh: connections left behind by later tests
# would hold the module for minutes.  Prints TAP.  Every wait is a bounded
# poll, except kmemleak's own minimum object age (see below).

cd "$(dirname "$0")" || exit 1
PATH=$PWD:$PATH
KL=/sys/kernel/debug/kmemleak
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }

. ./lib.sh	# until_true (run from this directory: see the cd above)
try_rmmod() { rmmod xtcp 2>/dev/null; }
state_count() { # NETNS STATE
	/sbin/ip netns exec "$1" cat /proc/net/xtcp | awk -v s="$2" '$1 == s { print $2 }'
}
has_state() { [ "$(state_count "$1" "$2")" = "${3:-1}" ]; }

echo "TAP version 13"
if [ ! -e "$KL" ]; then
	skip "kmemleak scan after rmmod" "no $KL (kernel without CONFIG_DEBUG_KMEMLEAK)"
	finish
fi
if ! echo scan 2>/dev/null >"$KL"; then
	skip "kmemleak scan after rmmod" "kmemleak is disabled (scan refused)"
	finish
fi
echo clear >"$KL"
[ -d /sys/module/xtcp ] || modprobe xtcp

# 2. Exercise.  The binaries' own checks run again later in run_all.sh;
# here they only have to succeed.
ex_failed=""
exercise() {
	if ! "$@" >/tmp/kmemleak-ex.log 2>&1; then
		ex_failed="$ex_failed [$*]"
		sed 's/^/# /' /tmp/kmemleak-ex.log | tail -20
	fi
}
# The binaries' namespaces live as long as their sockets, which have the
# default timers: xtcp_states' fin_wait1, last_ack and closing are left
# out, their orphans retransmit into a dropping filter until retries2
# (some 13 minutes); what the others leave ends within about a minute
# (TIME_WAIT).  Normal closes pass FIN_WAIT1 and LAST_ACK anyway, and
# xtcp_transitions' simultaneous_close CLOSING.
r=""
for t in close listen syn_sent syn_sent_server_mute syn_recv established \
	fin_wait2 close_wait time_wait counters; do
	r="$r -r states.xtcp.$t"
done
exercise ./xtcp_states $r
exercise ./xtcp_transitions -r tr.xtcp.simultaneous_close
exercise ./xtcp_sack -r sack.xtcp.only_the_holes_are_resent
XTCP_SYNFLOOD_SYNS=${XTCP_KMEMLEAK_SYNS:-3000} \
	exercise ./xtcp_synflood -r synflood.xtcp.cookies_on
exercise ./xtcp_cc -r cc.xtcp.switch_established -r cc.xtcp.sysctl_default

# A transfer in namespaces of our own: netlink dumps (the xtcp tool) while
# it lives, then its TIME_WAIT ends by its timer.
/sbin/ip netns add kl_a && /sbin/ip netns add kl_b &&
/sbin/ip link add ka netns kl_a type veth peer name kb netns kl_b &&
/sbin/ip -n kl_a addr add 10.19.0.1/24 dev ka &&
/sbin/ip -n kl_b addr add 10.19.0.2/24 dev kb &&
/sbin/ip -n kl_a link set ka up && /sbin/ip -n kl_b link set kb up ||
	ex_failed="$ex_failed [namespaces]"
for ns in kl_a kl_b; do
	/sbin/ip netns exec $ns sh -c 'echo 1 > /proc/sys/net/xtcp/tw_timeout'
done
head -c 300000 /dev/urandom >/tmp/kmemleak-in
/sbin/ip netns exec kl_b sh -c 'xtcpcat -l 5199 >/tmp/kmemleak-out' &
srv=$!
until_true 50 has_state kl_b LISTEN
# The client's input is a pipe kept open until the dumps are done.
rm -f /tmp/kmemleak-fifo
mkfifo /tmp/kmemleak-fifo
/sbin/ip netns exec kl_a sh -c 'xtcpcat 10.19.0.2 5199 </tmp/kmemleak-fifo' &
cli=$!
exec 3>/tmp/kmemleak-fifo
cat /tmp/kmemleak-in >&3
until_true 100 has_state kl_a ESTABLISHED || ex_failed="$ex_failed [not connected]"
for c in states stats conns; do
	/sbin/ip netns exec kl_a ./xtcp $c >/dev/null 2>&1 ||
		ex_failed="$ex_failed [xtcp $c]"
done
exec 3>&-
wait $cli || ex_failed="$ex_failed [xtcpcat]"
wait $srv
cmp -s /tmp/kmemleak-in /tmp/kmemleak-out || ex_failed="$ex_failed [xtcpcat data]"
# The client closed first: its TIME_WAIT ends after tw_timeout.
until_true 100 has_state kl_a TIME_WAIT 0 || ex_failed="$ex_failed [TIME_WAIT did not end]"
/sbin/ip netns del kl_a
/sbin/ip netns del kl_b
rm -f /tmp/kmemleak-in /tmp/kmemleak-out /tmp/kmemleak-ex.log /tmp/kmemleak-fifo
if [ -z "$ex_failed" ]; then
	ok "xtcp exercised (states, out-of-order, SYN flood with cookies, congestion control, netlink dumps, TIME_WAIT by timer)"
else
	not_ok "xtcp exercised: failed:$ex_failed"
fi

# Where the module's code lies, to tell its frames in a report after unload
# (they print as bare addresses then).
syms=$(awk '$4 == "[xtcp]" { print $1 }' /proc/kallsyms | sort)
lo=$(echo "$syms" | head -1)
hi=$(echo "$syms" | tail -1)

# 3. Unload, once the sockets the binaries left have ended by their timers.
t0=$(date +%s)
while ! try_rmmod; do
	if [ $(($(date +%s) - t0)) -ge "${XTCP_KMEMLEAK_UNLOAD_S:-300}" ]; then
		not_ok "rmmod xtcp (still in use after $(($(date +%s) - t0)) s: $(lsmod | grep '^xtcp'))"
		finish
	fi
	sleep 1
done
ok "rmmod xtcp (after $(($(date +%s) - t0)) s)"

# 4. Kmemleak never reports an object younger than 5 s (its min age), so
# whatever xtcp leaked just before rmmod needs that long to be reportable;
# this is kmemleak's rule, not a guess at timing.  Two scans, as the
# runner's own check: an object is reported once it is found unreferenced.
sleep 6
echo scan >"$KL"
echo scan >"$KL"
cat "$KL" >/tmp/kmemleak-report
objs=$(grep -c '^unreferenced object' /tmp/kmemleak-report)
if [ "$objs" -eq 0 ]; then
	ok "kmemleak finds nothing after rmmod xtcp"
else
	# Frames inside the unloaded module's code: they print as a bare
	# 0x<16 hex digits>, which compare as strings.
	ours=$(awk -v lo="$lo" -v hi="$hi" '
		/^unreferenced object/ { obj++ }
		$1 ~ /^0x[0-9a-f]+$/ {
			a = substr($1, 3)
			if (lo != "" && a >= lo && a <= hi && !(obj in seen)) {
				seen[obj] = 1
				c++
			}
		}
		END { print c + 0 }' /tmp/kmemleak-report)
	not_ok "kmemleak finds $objs unreferenced objects after rmmod xtcp ($ours with frames in xtcp's code $lo..$hi)"
	sed 's/^/# /' /tmp/kmemleak-report | head -80
	# Reported once here; the VM runner's final scan sees them too.
fi
rm -f /tmp/kmemleak-report

# 5. Later tests need the module.
if modprobe xtcp && [ -d /sys/module/xtcp ]; then
	ok "xtcp loads again"
else
	not_ok "xtcp loads again"
fi
finish
