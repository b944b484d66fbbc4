#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_all.sh [HARNESS-ARGS...] - run every xtcp selftest binary and print
# one TAP stream.
#
# Runs from its own directory (inside the VM: /xtcp-selftests), busybox sh
# compatible.  Each binary's own TAP ("TAP version", its "1..N" plan, its
# "ok N"/"not ok N" lines) is renumbered into one consistently numbered
# stream: the binaries' headers and plans become comments, the single plan
# "1..TOTAL" comes last, and the harness's "# Totals" lines stay comments,
# so a consumer counting "ok"/"not ok" lines counts each test exactly once.
# A binary that dies without reporting its tests adds one "not ok" line.
# The last line is "selftests: N passed, N failed, N skipped".
#
# HARNESS-ARGS go to every binary (kselftest_harness filters: -v inet,
# -v xtcp, -t NAME, -r FIXTURE.VARIANT.TEST, ...).
#
# XTCP_REQUIRE (default 1 here): a missing AF_XTCP fails the xtcp variants
# instead of skipping them; set XTCP_REQUIRE=0 to run on a host without the
# module.  Exit status: 0 when no test failed, 1 otherwise.

cd "$(dirname "$0")" || exit 1
XTCP_REQUIRE=${XTCP_REQUIRE:-1}
export XTCP_REQUIRE

# Scripts (*.sh) run with sh.  xtcp_module.sh unloads and reloads the
# module, so it runs first: connections other tests leave behind (orphans
# retransmitting into a dead namespace, TIME_WAIT) would hold the module
# for minutes.  It needs xtcpcat (tools/) in PATH.
BINS=${XTCP_SELFTESTS:-"xtcp_module.sh xtcp_kmemleak.sh xtcp_states xtcp_transitions xtcp_data diff_api xtcp_info xtcp_trace xtcp_backoff xtcp_window xtcp_sack xtcp_cc xtcp_cc_window xtcp_pmtu.sh xtcp_netlink xtcp_inject xtcp_synflood xtcp_mem"}
STATE=${TMPDIR:-/tmp}/xtcp-selftests.$$
n=0 pass=0 fail=0 skip=0

echo "TAP version 13"
for b in $BINS; do
	case $b in
	*.sh)
		run="sh ./$b"
		if [ ! -f "./$b" ]; then
			continue
		fi
		if [ "$b" = xtcp_module.sh ] && ! command -v xtcpcat >/dev/null 2>&1; then
			n=$((n + 1)) skip=$((skip + 1))
			echo "ok $n $b # SKIP xtcpcat (tools/) not in PATH"
			continue
		fi
		;;
	*)
		run="./$b"
		if [ ! -x "./$b" ]; then
			n=$((n + 1)) fail=$((fail + 1))
			echo "not ok $n $b # binary missing (run make)"
			continue
		fi
		;;
	esac
	echo "# ===== $b"
	{ $run "$@" 2>&1; echo "__xtcp_rc=$?"; } | awk -v n="$n" -v bin="$b" -v state="$STATE" '
		/^__xtcp_rc=/ { rc = substr($0, 11); next }
		/^TAP version/ { print "# " $0; next }
		/^1\.\.[0-9]+/ { print "# " bin " plan " $0; next }
		/^not ok [0-9]+/ {
			n++; fail++; seen++
			sub(/^not ok [0-9]+/, "not ok " n); print; next
		}
		/^ok [0-9]+/ {
			n++; seen++
			if ($0 ~ /# [Ss][Kk][Ii][Pp]/) skip++; else pass++
			sub(/^ok [0-9]+/, "ok " n); print; next
		}
		{ print }
		END {
			if (rc != 0 && fail == 0) {
				n++; fail++
				print "not ok " n " " bin " # exited with status " rc \
				      " after " seen " results"
			}
			printf "%d %d %d %d\n", n, pass, fail, skip > state
		}'
	if [ -r "$STATE" ]; then
		read -r n p f s < "$STATE"
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
		rm -f "$STATE"
	fi
done
echo "1..$n"
echo "selftests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
