#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xtcp_module.sh - the module's life cycle, in the VM (busybox sh):
#   - rmmod is refused while a socket holds the module;
#   - the first socket(AF_XTCP, ...) loads the module (net-pf-25 alias);
#   - namespaces torn down with live connections release everything, and
#     the module then unloads;
#   - a peer that vanishes mid-transfer: the orphan gives up after retries2.
# Prints TAP.  Needs xtcpcat (tools/) in PATH and the module loaded.
# Every wait is a bounded poll for an observable condition.

cd "$(dirname "$0")" || exit 1
PATH=$PWD:$PATH
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	for ns in mod_a mod_b; do
		/sbin/ip netns exec $ns true 2>/dev/null || continue
		echo "# $ns:" $(/sbin/ip netns exec $ns cat /proc/net/xtcp | grep -v " 0$")
	done
	echo "# init:" $(grep -v " 0$" /proc/net/xtcp 2>/dev/null)
	echo "# lsmod:" $(lsmod | grep xtcp)
}
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

. ./lib.sh	# until_true (run from this directory: see the cd above)

loaded() { [ -d /sys/module/xtcp ]; }
unloaded() { ! [ -d /sys/module/xtcp ]; }
try_rmmod() { rmmod xtcp 2>/dev/null; }
ensure_loaded() { loaded || modprobe xtcp; }

ns_up() {
	/sbin/ip netns add mod_a && /sbin/ip netns add mod_b &&
	/sbin/ip link add va netns mod_a type veth peer name vb netns mod_b &&
	/sbin/ip -n mod_a addr add 10.9.0.1/24 dev va &&
	/sbin/ip -n mod_b addr add 10.9.0.2/24 dev vb &&
	/sbin/ip -n mod_a link set va up && /sbin/ip -n mod_b link set vb up &&
	/sbin/ip -n mod_a link set lo up && /sbin/ip -n mod_b link set lo up
}

# xtcp sysctls of namespace $1: short timers so orphans end quickly.
ns_short_timers() {
	/sbin/ip netns exec "$1" sh -c 'echo 1 > /proc/sys/net/xtcp/tw_timeout;
		echo 1 > /proc/sys/net/xtcp/fin_timeout;
		echo 2 > /proc/sys/net/xtcp/retries2'
}

state_count() { # NETNS STATE
	/sbin/ip netns exec "$1" cat /proc/net/xtcp | awk -v s="$2" '$1 == s { print $2 }'
}
has_state() { [ "$(state_count "$1" "$2")" = "${3:-1}" ]; }

echo "TAP version 13"

# 1. A live socket pins the module.
ensure_loaded
xtcpcat -l 5100 >/dev/null &
pid=$!
until_true 50 sh -c 'grep -q "^LISTEN 1" /proc/net/xtcp'
check "rmmod refused while a socket is open" '! rmmod xtcp 2>/dev/null && loaded'
kill $pid
wait $pid 2>/dev/null
check "rmmod succeeds once the socket is closed" 'until_true 50 try_rmmod && unloaded'

# 2. The first socket() loads the module through its net-pf alias.
xtcpcat -l 5101 >/dev/null &
pid=$!
check "socket(AF_XTCP) autoloads the module" 'until_true 50 loaded'
check "the autoloaded module serves the socket" \
	'until_true 50 sh -c "grep -q \"^LISTEN 1\" /proc/net/xtcp"'
kill $pid
wait $pid 2>/dev/null
ensure_loaded

# 3. Namespaces destroyed while connections carry data.
ns_up
ns_short_timers mod_a
ns_short_timers mod_b
/sbin/ip netns exec mod_a xtcpcat -l 5102 >/dev/null &
srv=$!
until_true 50 has_state mod_a LISTEN
/sbin/ip netns exec mod_b sh -c 'cat /dev/zero | xtcpcat 10.9.0.1 5102' >/dev/null &
cli=$!
check "connection established across namespaces" \
	'until_true 100 has_state mod_b ESTABLISHED'
/sbin/ip netns del mod_a
/sbin/ip netns del mod_b
kill $srv $cli 2>/dev/null
killall xtcpcat cat 2>/dev/null
wait 2>/dev/null
check "module unloads after the namespaces die" 'until_true 300 try_rmmod && unloaded'
check "module loads again" 'modprobe xtcp && loaded'

# 4. The peer vanishes mid-transfer: the orphan's retransmissions end.
ns_up
ns_short_timers mod_a
ns_short_timers mod_b
/sbin/ip netns exec mod_a sh -c 'xtcpcat -l 5103 >/dev/null' &
srv=$!
until_true 50 has_state mod_a LISTEN
/sbin/ip netns exec mod_b sh -c 'cat /dev/zero | xtcpcat 10.9.0.1 5103' >/dev/null &
cli=$!
until_true 100 has_state mod_b ESTABLISHED
/sbin/ip -n mod_a link set va down
kill $cli 2>/dev/null
killall xtcpcat cat 2>/dev/null
wait 2>/dev/null
check "the orphan gives up after retries2 and the socket is freed" \
	'until_true 300 has_state mod_b ESTABLISHED 0 && until_true 300 has_state mod_b FIN_WAIT1 0'
/sbin/ip netns del mod_a
/sbin/ip netns del mod_b
check "module unloads at the end" 'until_true 300 try_rmmod && unloaded'
modprobe xtcp

echo "1..$n"
[ "$failed" -eq 0 ]
