// SPDX-License-Identifier: GPL-2.0
/*
 * The segment header, RFC 9293 3.1, byte for byte:
 *
 *   0..1 source port        2..3 destination port
 *   4..7 sequence number    8..11 acknowledgment number
 *   12   data offset (high nibble, in 32-bit words), reserved
 *   13   control bits       14..15 window
 *   16..17 checksum         18..19 urgent pointer
 *   20.. options, to data offset * 4
 */
#include "types.h"
#include "bytes.h"
#include "options.h"
#include "header.h"

int xtcp_hdr_parse(const u8 *pkt, u32 len, struct xtcp_seg *seg)
{
	u32 doff;
	int err;

	if (len < XTCP_HDR_LEN)
		return -EINVAL;
	doff = (u32)(pkt[12] >> 4) * 4;
	if (doff < XTCP_HDR_LEN || doff > len)
		return -EINVAL;

	/* The low nibble of byte 12 (reserved, historic NS) is ignored. */
	seg->flags = pkt[13];
	err = xtcp_opts_parse(pkt + XTCP_HDR_LEN, doff - XTCP_HDR_LEN,
			      seg->flags & XTCP_SYN, &seg->opts);
	if (err)
		return err;

	seg->sport = xtcp_get_be16(pkt);
	seg->dport = xtcp_get_be16(pkt + 2);
	seg->seq = xtcp_get_be32(pkt + 4);
	seg->ack = xtcp_get_be32(pkt + 8);
	seg->wnd = xtcp_get_be16(pkt + 14);
	seg->urg = xtcp_get_be16(pkt + 18);
	seg->doff = (u8)doff;
	seg->len = len - doff;
	return 0;
}

u32 xtcp_hdr_build(u8 *buf, const struct xtcp_seg *seg)
{
	/* Options first: their length decides the data offset. */
	u32 hlen = XTCP_HDR_LEN + xtcp_opts_build(buf + XTCP_HDR_LEN,
						  &seg->opts);

	xtcp_put_be16(buf, seg->sport);
	xtcp_put_be16(buf + 2, seg->dport);
	xtcp_put_be32(buf + 4, seg->seq);
	xtcp_put_be32(buf + 8, seg->ack);
	buf[12] = (u8)((hlen >> 2) << 4);
	buf[13] = seg->flags;
	xtcp_put_be16(buf + 14, seg->wnd);
	xtcp_put_be16(buf + XTCP_CSUM_OFFSET, 0);
	xtcp_put_be16(buf + 18, seg->urg);
	return hlen;
}
