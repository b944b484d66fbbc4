#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark inside the VM: a clean veth between two namespaces, the
# same transfer over xtcp and over Linux TCP, best of N runs; then the
# kernel memory of XTCP_BENCH_CONNS idle established connections of each
# (scripts/vm/mem-guest.sh).
IP=/sbin/ip
MB=${XTCP_BENCH_MB:-64}
RUNS=${XTCP_BENCH_RUNS:-3}

$IP netns add bs
$IP netns add bc
$IP link add veth0 netns bs type veth peer name veth0 netns bc
$IP -n bs addr add 10.7.0.1/24 dev veth0
$IP -n bc addr add 10.7.0.2/24 dev veth0
for ns in bs bc; do
	$IP -n $ns link set veth0 up
	$IP -n $ns link set lo up
done

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# best_ms FLAG: the fastest of RUNS transfers of MB MiB (FLAG "" or -4).
best_ms() {
	best=
	port=7100
	for r in $(seq "$RUNS"); do
		port=$((port + 1))
		$IP netns exec bs sh -c "xtcpcat $1 -l $port >/dev/null" &
		srv=$!
		sleep 0.3
		t0=$(now_ms)
		dd if=/dev/zero bs=1M count="$MB" 2>/dev/null |
			$IP netns exec bc xtcpcat $1 10.7.0.1 $port >/dev/null
		wait $srv
		t=$(($(now_ms) - t0))
		[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
	done
	echo "$best"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

echo "== throughput: $MB MiB over a clean veth, best of $RUNS (TCG: figures are relative)"
x=$(best_ms "")
t=$(best_ms -4)
xr=$(awk -v m="$MB" -v t="$x" 'BEGIN { printf "%.1f", m * 8 / (t / 1000) }')
tr=$(awk -v m="$MB" -v t="$t" 'BEGIN { printf "%.1f", m * 8 / (t / 1000) }')
echo "xtcp      ${x} ms  ${xr} Mbit/s"
echo "linux tcp ${t} ms  ${tr} Mbit/s"
echo "xtcp/tcp throughput ratio: $(ratio "$xr" "$tr")"

# Memory of XTCP_BENCH_CONNS idle established connections of each, with
# the slab caches that grew (a leak after closing shows as "not ok").
echo "== memory: ${XTCP_BENCH_CONNS:-10000} idle connections, xtcp and linux tcp"
sh /root/mem-guest.sh
