/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels xtcp builds against (6.1 .. 6.12)
 * lives here, so the rest of the glue reads as one kernel's code.
 */
#ifndef _XTCP_COMPAT_H
#define _XTCP_COMPAT_H

#include <linux/version.h>
#include <linux/net.h>
#include <net/sock.h>
#include <net/net_namespace.h>

/*
 * accept(): 6.10 folded flags, err and kern into struct proto_accept_arg.
 * XTCP_ACCEPT_ARGS is the parameter list of both callbacks after the
 * socket; xtcp_accept_flags()/xtcp_accept_set_err() reach into it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define XTCP_PROTO_ACCEPT_ARGS	struct proto_accept_arg *arg
#define XTCP_OPS_ACCEPT_ARGS	struct proto_accept_arg *arg
#define xtcp_accept_flags()	(arg->flags)
#define xtcp_accept_set_err(e)	(arg->err = (e))
#define xtcp_inet_accept(sock, newsock) inet_accept(sock, newsock, arg)
#else
#define XTCP_PROTO_ACCEPT_ARGS	int flags, int *err, bool kern
#define XTCP_OPS_ACCEPT_ARGS	int flags, bool kern
#define xtcp_accept_flags()	(flags)
#define xtcp_accept_set_err(e)	(*err = (e))
#define xtcp_inet_accept(sock, newsock) inet_accept(sock, newsock, flags, kern)
#endif

/*
 * Sysctl tables: up to 6.5 they end in an empty sentinel entry and are
 * registered by sentinel; from 6.6 they are registered with their size,
 * and from 6.11 a sentinel is an error.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define XTCP_SYSCTL_SENTINEL
#define xtcp_register_net_sysctl(net, path, table, n) \
	register_net_sysctl_sz(net, path, table, n)
#else
#define XTCP_SYSCTL_SENTINEL	{ }
#define xtcp_register_net_sysctl(net, path, table, n) \
	register_net_sysctl(net, path, table)
#endif

/* 6.6 turned inet_sock's bit fields into atomic flags. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define xtcp_freebind(sk) \
	(inet_test_bit(FREEBIND, sk) || inet_test_bit(TRANSPARENT, sk))
#else
#define xtcp_freebind(sk) \
	(inet_sk(sk)->freebind || inet_sk(sk)->transparent)
#endif

#endif /* _XTCP_COMPAT_H */
