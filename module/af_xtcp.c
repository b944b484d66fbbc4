// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp module registration: the IP protocol handler, the socket family,
 * the proto, and the per-namespace state.  One unwind label per step.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/ktime.h>
#include <linux/random.h>
#include <net/protocol.h>
#include <net/inet_common.h>
#include <net/tcp_states.h>

#include <uapi/linux/xtcp.h>
#include "xtcp.h"

int xtcp_ipproto = IPPROTO_XTCP;
module_param_named(ipproto, xtcp_ipproto, int, 0444);
MODULE_PARM_DESC(ipproto, "IP protocol number xtcp registers (default 253)");

int xtcp_family = AF_XTCP;
module_param_named(family, xtcp_family, int, 0444);
MODULE_PARM_DESC(family, "socket family number of AF_XTCP (default 25)");

unsigned int xtcp_net_id __read_mostly;

/* The core's state numbers are Linux's, so sk_state can hold them. */
static_assert((int)XTCP_ESTABLISHED == (int)TCP_ESTABLISHED);
static_assert((int)XTCP_SYN_SENT == (int)TCP_SYN_SENT);
static_assert((int)XTCP_SYN_RECV == (int)TCP_SYN_RECV);
static_assert((int)XTCP_FIN_WAIT1 == (int)TCP_FIN_WAIT1);
static_assert((int)XTCP_FIN_WAIT2 == (int)TCP_FIN_WAIT2);
static_assert((int)XTCP_TIME_WAIT == (int)TCP_TIME_WAIT);
static_assert((int)XTCP_CLOSE == (int)TCP_CLOSE);
static_assert((int)XTCP_CLOSE_WAIT == (int)TCP_CLOSE_WAIT);
static_assert((int)XTCP_LAST_ACK == (int)TCP_LAST_ACK);
static_assert((int)XTCP_LISTEN == (int)TCP_LISTEN);
static_assert((int)XTCP_CLOSING == (int)TCP_CLOSING);
static_assert(sizeof(struct xtcp_skb_cb) <= sizeof_field(struct sk_buff, cb));

/*
 * xtcp_clock_us - the microsecond clock for RTT samples and ISNs.
 */
u64 xtcp_clock_us(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/*
 * xtcp_ts_now - the TSval we send: a millisecond clock (RFC 7323 5.4)
 * plus a per-connection offset, so it reveals no uptime.
 */
u32 xtcp_ts_now(const struct xtcp_sock *xs)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_MSEC) + xs->ts_off;
}

static int xtcp_create(struct net *net, struct socket *sock, int protocol,
		       int kern)
{
	struct inet_sock *inet;
	struct sock *sk;

	if (sock->type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;
	if (protocol && protocol != xtcp_ipproto)
		return -EPROTONOSUPPORT;

	sock->state = SS_UNCONNECTED;
	sock->ops = &xtcp_stream_ops;

	sk = sk_alloc(net, xtcp_family, GFP_KERNEL, &xtcp_prot, kern);
	if (!sk)
		return -ENOBUFS;
	sock_init_data(sock, sk);
	sk->sk_protocol = xtcp_ipproto;

	inet = inet_sk(sk);
	inet->uc_ttl = -1;
	inet->pmtudisc = IP_PMTUDISC_WANT;
	return xtcp_init_sock(sk);
}

static const struct net_proto_family xtcp_family_ops = {
	.create = xtcp_create,
	.owner = THIS_MODULE,
};

static const struct net_protocol xtcp_protocol = {
	.handler = xtcp_v4_rcv,
	.err_handler = xtcp_v4_err,
	.no_policy = 1,
};

static struct net_proto_family xtcp_family_reg;

static int __net_init xtcp_net_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);
	int err;

	xtcp_net_defaults(xn);
	err = xtcp_sysctl_init_net(net);
	if (err)
		return err;
	err = xtcp_proc_init_net(net);
	if (err)
		goto err_sysctl;
	return 0;

err_sysctl:
	xtcp_sysctl_exit_net(net);
	return err;
}

static void __net_exit xtcp_net_exit(struct net *net)
{
	xtcp_proc_exit_net(net);
	xtcp_sysctl_exit_net(net);
}

static struct pernet_operations xtcp_net_ops = {
	.init = xtcp_net_init,
	.exit = xtcp_net_exit,
	.id = &xtcp_net_id,
	.size = sizeof(struct xtcp_net),
};

static int __init xtcp_init(void)
{
	int err;

	if (xtcp_ipproto <= 0 || xtcp_ipproto >= IPPROTO_MAX ||
	    xtcp_ipproto == IPPROTO_TCP) {
		pr_err("ipproto=%d is not a usable IP protocol number\n",
		       xtcp_ipproto);
		return -EINVAL;
	}
	if (xtcp_family <= 0 || xtcp_family >= NPROTO) {
		pr_err("family=%d is outside 1..%d\n", xtcp_family, NPROTO - 1);
		return -EINVAL;
	}

	err = xtcp_table_init();
	if (err)
		return err;
	err = xtcp_cc_register_builtin();
	if (err)
		goto err_table;
	err = proto_register(&xtcp_prot, 1);
	if (err)
		goto err_cc;
	err = register_pernet_subsys(&xtcp_net_ops);
	if (err)
		goto err_proto;
	/* Before any socket exists: state changes announce themselves. */
	err = xtcp_nl_init();
	if (err)
		goto err_pernet;
	err = inet_add_protocol(&xtcp_protocol, xtcp_ipproto);
	if (err) {
		pr_err("IP protocol %d is taken; load with ipproto=<free number>\n",
		       xtcp_ipproto);
		err = -EBUSY;
		goto err_nl;
	}
	xtcp_family_reg = xtcp_family_ops;
	xtcp_family_reg.family = xtcp_family;
	err = sock_register(&xtcp_family_reg);
	if (err) {
		pr_err("socket family %d is taken; load with family=<free number>\n",
		       xtcp_family);
		goto err_inet;
	}
	pr_info("loaded: IP protocol %d, socket family %d\n", xtcp_ipproto,
		xtcp_family);
	return 0;

err_inet:
	inet_del_protocol(&xtcp_protocol, xtcp_ipproto);
	synchronize_net();
err_nl:
	xtcp_nl_exit();
err_pernet:
	unregister_pernet_subsys(&xtcp_net_ops);
err_proto:
	proto_unregister(&xtcp_prot);
err_cc:
	xtcp_cc_unregister_builtin();
err_table:
	xtcp_table_exit();
	return err;
}

static void __exit xtcp_exit(void)
{
	/* Every socket holds a module reference, so none is left here. */
	sock_unregister(xtcp_family);
	inet_del_protocol(&xtcp_protocol, xtcp_ipproto);
	synchronize_net();
	xtcp_nl_exit();
	unregister_pernet_subsys(&xtcp_net_ops);
	proto_unregister(&xtcp_prot);
	xtcp_cc_unregister_builtin();
	xtcp_table_exit();
}

module_init(xtcp_init);
module_exit(xtcp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xtcp developers");
MODULE_DESCRIPTION("xtcp: an independent TCP on its own IP protocol number");
MODULE_ALIAS_NETPROTO(AF_XTCP);
