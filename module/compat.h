/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels xtcp builds against (6.1 .. 6.12)
 * lives here, so the rest of the glue reads as one kernel's code.  An
 * out-of-tree module has to test LINUX_VERSION_CODE; this is the one
 * place that does (see .checkpatch.conf).
 */
#ifndef _XTCP_COMPAT_H
#define _XTCP_COMPAT_H

#include <linux/version.h>
#include <linux/net.h>
#include <net/inet_common.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <net/net_namespace.h>

/* listen.c: accept() for both callback shapes below. */
struct sock *xtcp_do_accept(struct sock *sk, int flags, int *err);

/* 6.10 folded accept()'s flags, err and kern into struct proto_accept_arg. */
#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
static inline struct sock *xtcp_proto_accept(struct sock *sk,
					     struct proto_accept_arg *arg)
{
	return xtcp_do_accept(sk, arg->flags, &arg->err);
}

static inline int xtcp_ops_accept(struct socket *sock, struct socket *newsock,
				  struct proto_accept_arg *arg)
{
	return inet_accept(sock, newsock, arg);
}
#else
static inline struct sock *xtcp_proto_accept(struct sock *sk, int flags,
					     int *err, bool kern)
{
	return xtcp_do_accept(sk, flags, err);
}

static inline int xtcp_ops_accept(struct socket *sock, struct socket *newsock,
				  int flags, bool kern)
{
	return inet_accept(sock, newsock, flags, kern);
}
#endif

/*
 * Sysctl tables: up to 6.5 they end in an empty sentinel entry; from 6.6
 * they are registered with their size, and from 6.11 a sentinel is an
 * error.  XTCP_SYSCTL_SENTINEL closes a table on the old kernels only.
 */
#if KERNEL_VERSION(6, 6, 0) <= LINUX_VERSION_CODE
#define XTCP_SYSCTL_SENTINEL
static inline struct ctl_table_header *
xtcp_register_net_sysctl(struct net *net, const char *path,
			 struct ctl_table *table, size_t n)
{
	return register_net_sysctl_sz(net, path, table, n);
}
#else
#define XTCP_SYSCTL_SENTINEL	{ }
static inline struct ctl_table_header *
xtcp_register_net_sysctl(struct net *net, const char *path,
			 struct ctl_table *table, size_t n)
{
	return register_net_sysctl(net, path, table);
}
#endif

/* 6.11 made the table a sysctl handler gets const. */
#if KERNEL_VERSION(6, 11, 0) <= LINUX_VERSION_CODE
#define XTCP_CTL_TABLE	const struct ctl_table
#else
#define XTCP_CTL_TABLE	struct ctl_table
#endif

/* 6.6 turned inet_sock's bit fields into atomic flags. */
static inline bool xtcp_freebind(const struct sock *sk)
{
#if KERNEL_VERSION(6, 6, 0) <= LINUX_VERSION_CODE
	return inet_test_bit(FREEBIND, sk) || inet_test_bit(TRANSPARENT, sk);
#else
	return inet_sk(sk)->freebind || inet_sk(sk)->transparent;
#endif
}

/* netlink.c: a dump request's parsed attributes; 6.2 moved them into info. */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#define xtcp_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define xtcp_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

#endif /* _XTCP_COMPAT_H */
