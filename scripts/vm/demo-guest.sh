#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside the VM (busybox sh).  Two namespaces joined by veth:
# "server" 10.0.0.1 and "client" 10.0.0.2.  The client holds its
# connection open on a FIFO until the file goes through, so the states can
# be shown with the connection alive.
set -e
IP=/sbin/ip
MB=${XTCP_DEMO_MB:-16}

say() { printf '\n== %s\n' "$*"; }
states() { # NETNS
	echo "-- /proc/net/xtcp in namespace $1:"
	$IP netns exec "$1" cat /proc/net/xtcp | sed 's/^/   /'
}

say "xtcp is loaded: IP protocol $(cat /sys/module/xtcp/parameters/ipproto), socket family $(cat /sys/module/xtcp/parameters/family)"
$IP netns add server
$IP netns add client
$IP link add veth0 netns server type veth peer name veth0 netns client
$IP -n server addr add 10.0.0.1/24 dev veth0
$IP -n client addr add 10.0.0.2/24 dev veth0
for ns in server client; do
	$IP -n $ns link set veth0 up
	$IP -n $ns link set lo up
	# A short TIME_WAIT so the demo can show it end.
	$IP netns exec $ns sh -c 'echo 3 > /proc/sys/net/xtcp/tw_timeout'
done

say "making a $MB MiB file"
dd if=/dev/urandom of=/tmp/file bs=1M count="$MB" 2>/dev/null
sent=$(sha256sum /tmp/file | cut -d' ' -f1)

say "server: xtcpcat -l 7000 (AF_XTCP) in namespace server"
$IP netns exec server sh -c 'xtcpcat -l 7000 > /tmp/received' &
server=$!
until $IP netns exec server grep -q '^LISTEN 1' /proc/net/xtcp; do sleep 0.1; done
states server

say "client: connects from namespace client and waits for its input"
rm -f /tmp/pipe
mkfifo /tmp/pipe
$IP netns exec client sh -c 'xtcpcat 10.0.0.1 7000 < /tmp/pipe' &
client=$!
exec 3>/tmp/pipe
until $IP netns exec client grep -q '^ESTABLISHED 1' /proc/net/xtcp; do sleep 0.1; done
states client
states server

say "sending the file"
start=$(date +%s)
cat /tmp/file >&3
exec 3>&-
wait $client
wait $server
end=$(date +%s)
received=$($IP netns exec server sha256sum /tmp/received | cut -d' ' -f1)
echo "sent     $sent"
echo "received $received"
if [ "$sent" != "$received" ]; then
	echo "SHA-256 MISMATCH"
	exit 1
fi
echo "SHA-256 matches: $MB MiB in about $((end - start)) s (software-emulated VM)"

say "after close: the active closer holds TIME_WAIT"
states client
states server

say "after TIME_WAIT (3 s here, 60 s by default)"
until $IP netns exec client grep -q '^TIME_WAIT 0' /proc/net/xtcp; do sleep 0.2; done
states client
echo
echo "-- counters (/proc/net/xtcp_stat) in namespace client:"
$IP netns exec client cat /proc/net/xtcp_stat | grep -v ' 0$' | sed 's/^/   /'
