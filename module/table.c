// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp's own connection tables, independent of the kernel's TCP ones:
 *  - the bind table: every socket holding a local port (bind, listen,
 *    connect, accepted children, TIME_WAIT);
 *  - the connection table: sockets with a peer, keyed by the 4-tuple;
 *  - the listener table, keyed by local port;
 *  - the list of every socket, for /proc/net/xtcp and dumps.
 * Each table has one spinlock, taken with BHs off; lookups take a socket
 * reference before the lock is dropped.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/tcp_states.h>

#include "xtcp.h"

#define XTCP_HASH_BITS	12
#define XTCP_HASH_SIZE	BIT(XTCP_HASH_BITS)

struct xtcp_table {
	spinlock_t lock;	/* every chain of the table */
	struct hlist_head chain[XTCP_HASH_SIZE];
};

static struct xtcp_table *bind_table, *conn_table, *listen_table;
static u32 hash_secret __read_mostly;

static DEFINE_SPINLOCK(all_lock);
static LIST_HEAD(all_list);

static struct xtcp_table *table_alloc(void)
{
	struct xtcp_table *t = kvzalloc(sizeof(*t), GFP_KERNEL);

	if (t)
		spin_lock_init(&t->lock);
	return t;
}

int xtcp_table_init(void)
{
	get_random_bytes(&hash_secret, sizeof(hash_secret));
	bind_table = table_alloc();
	conn_table = table_alloc();
	listen_table = table_alloc();
	if (!bind_table || !conn_table || !listen_table) {
		xtcp_table_exit();
		return -ENOMEM;
	}
	return 0;
}

void xtcp_table_exit(void)
{
	kvfree(bind_table);
	kvfree(conn_table);
	kvfree(listen_table);
	bind_table = NULL;
	conn_table = NULL;
	listen_table = NULL;
}

static u32 port_hash(const struct net *net, u16 port)
{
	return jhash_2words(port, net_hash_mix(net), hash_secret) &
	       (XTCP_HASH_SIZE - 1);
}

static u32 conn_hash(const struct net *net, __be32 laddr, __be16 lport,
		     __be32 raddr, __be16 rport)
{
	return jhash_3words((__force u32)laddr, (__force u32)raddr,
			    ((u32)ntohs(lport) << 16) | ntohs(rport),
			    hash_secret ^ net_hash_mix(net)) &
	       (XTCP_HASH_SIZE - 1);
}

/* Would binding @sk to @port clash with @other (Linux's rules)? */
static bool bind_conflict(const struct sock *sk, const struct sock *other)
{
	__be32 a = inet_sk(sk)->inet_rcv_saddr;
	__be32 b = inet_sk(other)->inet_rcv_saddr;

	if (sk == other)
		return false;
	if (a && b && a != b)
		return false;
	if (sk->sk_bound_dev_if && other->sk_bound_dev_if &&
	    sk->sk_bound_dev_if != other->sk_bound_dev_if)
		return false;
	/* SO_REUSEADDR on both lets them share unless one listens. */
	if (sk->sk_reuse && other->sk_reuse && other->sk_state != TCP_LISTEN &&
	    sk->sk_state != TCP_LISTEN)
		return false;
	return true;
}

static bool port_in_use(struct sock *sk, u16 port, bool any_owner)
{
	struct net *net = sock_net(sk);
	struct xtcp_sock *xs;

	hlist_for_each_entry(xs, &bind_table->chain[port_hash(net, port)],
			     bind_node) {
		struct sock *o = &xs->inet.sk;

		if (!net_eq(sock_net(o), net) || o->sk_num != port)
			continue;
		if (any_owner || bind_conflict(sk, o))
			return true;
	}
	return false;
}

static void bind_insert(struct sock *sk, u16 port)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	inet_sk(sk)->inet_num = port;
	inet_sk(sk)->inet_sport = htons(port);
	hlist_add_head(&xs->bind_node,
		       &bind_table->chain[port_hash(sock_net(sk), port)]);
	xs->bound = true;
}

/*
 * xtcp_bind_port - take local port @port (0: an ephemeral one) for @sk.
 *
 * Return: 0, -EADDRINUSE if the port clashes, or -EADDRNOTAVAIL when no
 * ephemeral port is free.
 */
int xtcp_bind_port(struct sock *sk, u16 port)
{
	int low, high, range, i, err = -EADDRINUSE;
	u32 start;

	spin_lock_bh(&bind_table->lock);
	if (port) {
		if (!port_in_use(sk, port, false)) {
			bind_insert(sk, port);
			err = 0;
		}
		goto out;
	}

	/* Ephemeral: a port nobody holds, from a random start. */
	inet_get_local_port_range(sock_net(sk), &low, &high);
	range = high - low + 1;
	start = get_random_u32();
	err = -EADDRNOTAVAIL;
	for (i = 0; i < range; i++) {
		u16 p = low + (start + i) % range;

		if (inet_is_local_reserved_port(sock_net(sk), p))
			continue;
		if (!port_in_use(sk, p, true)) {
			bind_insert(sk, p);
			err = 0;
			break;
		}
	}
out:
	spin_unlock_bh(&bind_table->lock);
	return err;
}

/* A passively opened child shares its listener's port. */
void xtcp_bind_inherit(struct sock *child, struct sock *parent)
{
	spin_lock_bh(&bind_table->lock);
	bind_insert(child, parent->sk_num);
	spin_unlock_bh(&bind_table->lock);
}

void xtcp_unbind(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	spin_lock_bh(&bind_table->lock);
	if (xs->bound) {
		hlist_del(&xs->bind_node);
		xs->bound = false;
		/* As Linux: getsockname() still shows the old port. */
		inet_sk(sk)->inet_num = 0;
	}
	spin_unlock_bh(&bind_table->lock);
}

static struct sock *conn_find(struct net *net, u32 h, __be32 laddr,
			      __be16 lport, __be32 raddr, __be16 rport)
{
	struct xtcp_sock *xs;

	hlist_for_each_entry(xs, &conn_table->chain[h], hash_node) {
		struct inet_sock *inet = &xs->inet;

		if (net_eq(sock_net(&inet->sk), net) &&
		    inet->inet_sport == lport && inet->inet_dport == rport &&
		    inet->inet_rcv_saddr == laddr && inet->inet_daddr == raddr)
			return &inet->sk;
	}
	return NULL;
}

static void conn_insert(struct sock *sk, u32 h)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	sock_hold(sk);
	hlist_add_head(&xs->hash_node, &conn_table->chain[h]);
	xs->hashed = XTCP_HASHED_CONN;
}

static u32 sk_conn_hash(const struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

	return conn_hash(sock_net(sk), inet->inet_rcv_saddr, inet->inet_sport,
			 inet->inet_daddr, inet->inet_dport);
}

/*
 * xtcp_hash_connect - enter a connecting socket in the connection table.
 *
 * Return: 0, or -EADDRNOTAVAIL if the 4-tuple is taken (for instance by a
 * connection in TIME_WAIT), as Linux answers connect().
 */
int xtcp_hash_connect(struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);
	u32 h = sk_conn_hash(sk);
	struct sock *old;

	spin_lock_bh(&conn_table->lock);
	old = conn_find(sock_net(sk), h, inet->inet_rcv_saddr, inet->inet_sport,
			inet->inet_daddr, inet->inet_dport);
	if (!old) {
		conn_insert(sk, h);
		spin_unlock_bh(&conn_table->lock);
		return 0;
	}
	sock_hold(old);
	spin_unlock_bh(&conn_table->lock);

	/*
	 * A TIME_WAIT that used timestamps may be recycled by a socket that
	 * bound the port itself: PAWS keeps old duplicates out (as Linux's
	 * tcp_twsk_unique() for an explicitly bound port).
	 */
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK) ||
	    !xtcp_tw_recycle(old)) {
		sock_put(old);
		return -EADDRNOTAVAIL;
	}
	sock_put(old);
	return xtcp_hash_connect(sk);
}

/* Enter a new child; the caller made sure the 4-tuple was free. */
void xtcp_hash(struct sock *sk)
{
	spin_lock_bh(&conn_table->lock);
	conn_insert(sk, sk_conn_hash(sk));
	spin_unlock_bh(&conn_table->lock);
}

int xtcp_listen_hash(struct sock *sk)
{
	struct net *net = sock_net(sk);
	u32 h = port_hash(net, sk->sk_num);
	struct xtcp_sock *xs;
	int err = 0;

	/* One listener per port and address, SO_REUSEADDR or not. */
	spin_lock_bh(&bind_table->lock);
	hlist_for_each_entry(xs, &bind_table->chain[h], bind_node) {
		struct sock *o = &xs->inet.sk;

		if (o != sk && net_eq(sock_net(o), net) &&
		    o->sk_num == sk->sk_num && o->sk_state == TCP_LISTEN &&
		    bind_conflict(sk, o)) {
			err = -EADDRINUSE;
			break;
		}
	}
	spin_unlock_bh(&bind_table->lock);
	if (err)
		return err;

	spin_lock_bh(&listen_table->lock);
	sock_hold(sk);
	hlist_add_head(&xtcp_sk(sk)->hash_node, &listen_table->chain[h]);
	xtcp_sk(sk)->hashed = XTCP_HASHED_LISTEN;
	spin_unlock_bh(&listen_table->lock);
	return 0;
}

void xtcp_unhash(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_table *t;
	bool was = false;

	/* The table is fixed when the socket enters it; the state is not. */
	t = READ_ONCE(xs->hashed) == XTCP_HASHED_LISTEN ? listen_table :
							  conn_table;
	spin_lock_bh(&t->lock);
	if (xs->hashed) {
		hlist_del(&xs->hash_node);
		xs->hashed = XTCP_UNHASHED;
		was = true;
	}
	spin_unlock_bh(&t->lock);
	if (was)
		__sock_put(sk);
}

static struct sock *listener_find(struct net *net, __be32 daddr, u16 port)
{
	struct sock *wild = NULL;
	struct xtcp_sock *xs;

	hlist_for_each_entry(xs, &listen_table->chain[port_hash(net, port)],
			     hash_node) {
		struct sock *sk = &xs->inet.sk;
		__be32 bound = inet_sk(sk)->inet_rcv_saddr;

		if (!net_eq(sock_net(sk), net) || sk->sk_num != port)
			continue;
		if (bound == daddr)
			return sk;
		if (!bound && !wild)
			wild = sk;
	}
	return wild;
}

/* Would a listener take a SYN to @daddr:@dport? */
bool xtcp_listening(struct net *net, __be32 daddr, __be16 dport)
{
	bool found;

	spin_lock_bh(&listen_table->lock);
	found = listener_find(net, daddr, ntohs(dport));
	spin_unlock_bh(&listen_table->lock);
	return found;
}

/*
 * xtcp_lookup - the socket a segment belongs to, with a reference held.
 * @saddr, @sport: the segment's source (the peer);
 * @daddr, @dport: its destination (us).
 *
 * A connection matching the 4-tuple wins over a listener on the port.
 */
struct sock *xtcp_lookup(struct net *net, __be32 saddr, __be16 sport,
			 __be32 daddr, __be16 dport)
{
	struct sock *sk;

	spin_lock_bh(&conn_table->lock);
	sk = conn_find(net, conn_hash(net, daddr, dport, saddr, sport),
		       daddr, dport, saddr, sport);
	if (sk)
		sock_hold(sk);
	spin_unlock_bh(&conn_table->lock);
	if (sk)
		return sk;

	spin_lock_bh(&listen_table->lock);
	sk = listener_find(net, daddr, ntohs(dport));
	if (sk)
		sock_hold(sk);
	spin_unlock_bh(&listen_table->lock);
	return sk;
}

void xtcp_list_add(struct sock *sk)
{
	spin_lock_bh(&all_lock);
	list_add_tail(&xtcp_sk(sk)->all_node, &all_list);
	xtcp_sk(sk)->listed = true;
	spin_unlock_bh(&all_lock);
}

void xtcp_list_del(struct sock *sk)
{
	spin_lock_bh(&all_lock);
	if (xtcp_sk(sk)->listed) {
		list_del(&xtcp_sk(sk)->all_node);
		xtcp_sk(sk)->listed = false;
	}
	spin_unlock_bh(&all_lock);
}

/*
 * xtcp_count_states - count the sockets of @net by state, each once.
 *
 * Taken under one lock, so the counts are a consistent snapshot of the
 * socket set (a socket changing state meanwhile is counted in one of its
 * two states, never both).
 */
void xtcp_count_states(struct net *net, unsigned int counts[XTCP_NSTATES])
{
	struct xtcp_sock *xs;

	memset(counts, 0, sizeof(unsigned int) * XTCP_NSTATES);
	spin_lock_bh(&all_lock);
	list_for_each_entry(xs, &all_list, all_node) {
		const struct sock *sk = &xs->inet.sk;
		unsigned int st = READ_ONCE(sk->sk_state);

		if (net_eq(sock_net(sk), net) && st < XTCP_NSTATES)
			counts[st]++;
	}
	spin_unlock_bh(&all_lock);
}

/* Walks of every socket (/proc/net/xtcp_tcp): the list's lock, BH off. */
void xtcp_list_lock(void)
	__acquires(&all_lock)
{
	spin_lock_bh(&all_lock);
}

void xtcp_list_unlock(void)
	__releases(&all_lock)
{
	spin_unlock_bh(&all_lock);
}

/*
 * The socket of @net listed after @prev (NULL: the first one), or NULL at
 * the end.  The caller holds xtcp_list_lock(), which keeps both listed.
 */
struct sock *xtcp_list_next(struct net *net, struct sock *prev)
{
	struct xtcp_sock *xs;

	xs = prev ? list_next_entry(xtcp_sk(prev), all_node) :
		    list_first_entry(&all_list, struct xtcp_sock, all_node);
	list_for_each_entry_from(xs, &all_list, all_node) {
		if (net_eq(sock_net(&xs->inet.sk), net))
			return &xs->inet.sk;
	}
	return NULL;
}
