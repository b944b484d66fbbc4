/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xtcp - an independent TCP carried on its own IP protocol number.
 *
 * User-space view: the socket family, protocol number and the names
 * that programs and tests rely on.  The constants are the defaults only:
 * the module parameters "family" and "ipproto" may move them, so a program
 * should read /sys/module/xtcp/parameters/family at run time (see
 * xtcp_family() below).
 */
#ifndef _UAPI_LINUX_XTCP_H
#define _UAPI_LINUX_XTCP_H

/* Slot 25 (AF_WANPIPE) was reserved for a family that was never merged. */
#define AF_XTCP		25
#define PF_XTCP		AF_XTCP

/* RFC 3692 experimental protocol number. */
#define IPPROTO_XTCP	253

#define XTCP_FAMILY_PATH	"/sys/module/xtcp/parameters/family"
#define XTCP_IPPROTO_PATH	"/sys/module/xtcp/parameters/ipproto"

#ifndef __KERNEL__
#include <stdio.h>

/*
 * xtcp_family - the socket family the loaded module registered.
 *
 * Returns the number from sysfs, AF_XTCP when the module is not loaded
 * yet (the first socket() call loads it under its default number), or -1
 * when the file exists but cannot be parsed.
 */
static inline int xtcp_family(void)
{
	FILE *f = fopen(XTCP_FAMILY_PATH, "r");
	int family = AF_XTCP;

	if (!f)
		return AF_XTCP;
	if (fscanf(f, "%d", &family) != 1)
		family = -1;
	fclose(f);
	return family;
}
#endif /* !__KERNEL__ */

#endif /* _UAPI_LINUX_XTCP_H */
