/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few types and helpers the portable core needs, taken from the kernel
 * when built into xtcp.ko and from libc when built into user-space tests.
 * Nothing else in module/core/ may include a kernel or libc header.
 */
#ifndef _XTCP_CORE_TYPES_H
#define _XTCP_CORE_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/export.h>

/* A core function other modules may call (algorithm modules, cc.h). */
#define XTCP_EXPORT_GPL(sym)	EXPORT_SYMBOL_GPL(sym)
#else
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>

/* The compiler's own names, so these read as the kernel's types. */
typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;

#ifndef min_t
#define min_t(type, a, b) ({ type __a = (a), __b = (b); __a < __b ? __a : __b; })
#define max_t(type, a, b) ({ type __a = (a), __b = (b); __a > __b ? __a : __b; })
#endif

/* Nothing to export; a harmless declaration takes the semicolon. */
#define XTCP_EXPORT_GPL(sym)	extern int xtcp_not_exported_##sym
#endif /* __KERNEL__ */

#endif /* _XTCP_CORE_TYPES_H */
