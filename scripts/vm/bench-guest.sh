#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark inside the VM: a clean veth between two namespaces, the
# same transfer over xtcp and over Linux TCP, best of N runs; then the
# slab memory of N idle established connections of each.
IP=/sbin/ip
MB=${XTCP_BENCH_MB:-64}
RUNS=${XTCP_BENCH_RUNS:-3}
CONNS=${XTCP_BENCH_CONNS:-200}

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

# slab_kb: kernel slab memory in KiB.
slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }

# conns_kb FLAG: slab growth for CONNS idle established connections.
conns_kb() {
	before=$(slab_kb)
	i=0
	while [ $i -lt "$CONNS" ]; do
		port=$((8000 + i))
		$IP netns exec bs sh -c "xtcpcat $1 -l $port >/dev/null" &
		i=$((i + 1))
	done
	sleep 1
	mkfifo /tmp/hold$1 2>/dev/null
	i=0
	while [ $i -lt "$CONNS" ]; do
		port=$((8000 + i))
		$IP netns exec bc sh -c "xtcpcat $1 10.7.0.1 $port </tmp/hold$1 >/dev/null" &
		i=$((i + 1))
	done
	exec 9>/tmp/hold$1
	sleep 3
	after=$(slab_kb)
	exec 9>&-
	wait 2>/dev/null
	echo $((after - before))
}

echo "== memory: slab growth for $CONNS idle connections (both ends, incl. processes' sockets)"
xm=$(conns_kb "")
sleep 2
tm=$(conns_kb -4)
echo "xtcp      ${xm} KiB  $((xm * 1024 / CONNS)) bytes/connection"
echo "linux tcp ${tm} KiB  $((tm * 1024 / CONNS)) bytes/connection"
echo "xtcp/tcp memory ratio: $(ratio "$xm" "$tm")"
