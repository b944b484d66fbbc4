# SPDX-License-Identifier: GPL-2.0
# Shell helpers shared by the selftest scripts (busybox sh); source it as
#   cd "$(dirname "$0")" && . ./lib.sh

# until_true TENTHS CMD...: poll CMD every 0.1 s, at most TENTHS times.
until_true() {
	t=$1
	shift
	while [ "$t" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}
