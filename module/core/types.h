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
#else
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#ifndef min_t
#define min_t(type, a, b) ((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define max_t(type, a, b) ((type)(a) > (type)(b) ? (type)(a) : (type)(b))
#endif
#endif /* __KERNEL__ */

#endif /* _XTCP_CORE_TYPES_H */
