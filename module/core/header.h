/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The segment header: byte for byte RFC 9293's TCP header, parsed into
 * and built from host-order fields.  The checksum is the glue's business
 * (it needs the IP pseudo-header); the core leaves the field zero.
 */
#ifndef _XTCP_CORE_HEADER_H
#define _XTCP_CORE_HEADER_H

#include "types.h"
#include "options.h"

#define XTCP_HDR_LEN		20	/* without options */
#define XTCP_HDR_MAX_LEN	60
#define XTCP_CSUM_OFFSET	16	/* checksum field offset in the header */

/* Control bits, in their header positions (byte 13). */
#define XTCP_FIN	0x01
#define XTCP_SYN	0x02
#define XTCP_RST	0x04
#define XTCP_PSH	0x08
#define XTCP_ACK	0x10
#define XTCP_URG	0x20
#define XTCP_ECE	0x40
#define XTCP_CWR	0x80

/* A parsed segment: what the state machine needs to know of it. */
struct xtcp_seg {
	u16 sport, dport;
	u32 seq;
	u32 ack;
	u8 flags;		/* XTCP_FIN ... XTCP_CWR */
	u16 wnd;		/* raw window field, unscaled */
	u16 urg;
	u8 doff;		/* header length in bytes, 20..60 */
	u32 len;		/* payload bytes after the header */
	struct xtcp_opts opts;
};

/* Sequence space the segment occupies: payload plus one for SYN and FIN. */
static inline u32 xtcp_seg_seqlen(const struct xtcp_seg *seg)
{
	return seg->len + !!(seg->flags & XTCP_SYN) + !!(seg->flags & XTCP_FIN);
}

/*
 * xtcp_hdr_parse - parse and validate the header at @pkt.
 * @pkt: start of the segment, @len bytes long (header plus payload).
 *
 * Fails with -EINVAL if @len < 20, the data offset is below 5 or past
 * @len, or the options are malformed (see xtcp_opts_parse()).  On
 * success fills @seg, seg->len = @len - data offset.
 */
int xtcp_hdr_parse(const u8 *pkt, u32 len, struct xtcp_seg *seg);

/*
 * xtcp_hdr_build - write a header with options into @buf.
 * @buf: room for XTCP_HDR_MAX_LEN bytes.
 * Uses seg's sport, dport, seq, ack, flags, wnd, urg and opts (only the
 * *_ok options are written, see xtcp_opts_build()); writes a zero
 * checksum.  Returns the header length written (20..60, multiple of 4).
 */
u32 xtcp_hdr_build(u8 *buf, const struct xtcp_seg *seg);

#endif /* _XTCP_CORE_HEADER_H */
