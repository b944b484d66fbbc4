// SPDX-License-Identifier: GPL-2.0
/*
 * TCP option parsing and building (RFC 9293 3.2, RFC 7323, RFC 2018).
 *
 * Parsing is strict about lengths: a known option with the wrong length,
 * or any length that is < 2 or runs past the option space, makes the
 * whole segment malformed, because after such a length we can no longer
 * tell where the next option starts.  Lengths are checked on every
 * segment; only the *meaning* of the SYN-only options is ignored on
 * segments without SYN.
 */
#include "types.h"
#include "bytes.h"
#include "options.h"

#define XTCP_OPT_SPACE		40	/* 60-byte header minus 20 fixed */

#define XTCP_OLEN_MSS		4
#define XTCP_OLEN_WSCALE	3
#define XTCP_OLEN_SACK_PERM	2
#define XTCP_OLEN_TIMESTAMP	10
#define XTCP_OLEN_SACK_BASE	2
#define XTCP_OLEN_SACK_PERBLOCK	8

/*
 * Interpret one option of kind @kind whose @olen bytes (kind and length
 * included, already checked to lie inside the option space) start at @p.
 * Returns 0 or -EINVAL for a length that is wrong for a known kind.
 */
static int xtcp_opt_one(u8 kind, const u8 *p, u32 olen, bool syn,
			struct xtcp_opts *out)
{
	u32 i, n;

	switch (kind) {
	case XTCP_OPT_MSS:
		if (olen != XTCP_OLEN_MSS)
			return -EINVAL;
		if (syn) {
			out->mss_ok = true;
			out->mss = xtcp_get_be16(p + 2);
		}
		return 0;
	case XTCP_OPT_WSCALE:
		if (olen != XTCP_OLEN_WSCALE)
			return -EINVAL;
		if (syn) {
			/* RFC 7323 2.3: a shift above 14 is treated as 14. */
			out->ws_ok = true;
			out->ws = min_t(u8, p[2], XTCP_MAX_WSCALE);
		}
		return 0;
	case XTCP_OPT_SACK_PERM:
		if (olen != XTCP_OLEN_SACK_PERM)
			return -EINVAL;
		if (syn)
			out->sack_ok = true;
		return 0;
	case XTCP_OPT_SACK:
		if (olen < XTCP_OLEN_SACK_BASE + XTCP_OLEN_SACK_PERBLOCK ||
		    ((olen - XTCP_OLEN_SACK_BASE) & (XTCP_OLEN_SACK_PERBLOCK - 1)))
			return -EINVAL;
		n = (olen - XTCP_OLEN_SACK_BASE) >> 3;
		if (n > XTCP_MAX_SACK_BLOCKS)
			return -EINVAL;
		out->nsack = (u8)n;
		for (i = 0; i < n; i++) {
			const u8 *b = p + XTCP_OLEN_SACK_BASE +
				      i * XTCP_OLEN_SACK_PERBLOCK;

			out->sack[i].start = xtcp_get_be32(b);
			out->sack[i].end = xtcp_get_be32(b + 4);
		}
		return 0;
	case XTCP_OPT_TIMESTAMP:
		if (olen != XTCP_OLEN_TIMESTAMP)
			return -EINVAL;
		out->ts_ok = true;
		out->tsval = xtcp_get_be32(p + 2);
		out->tsecr = xtcp_get_be32(p + 6);
		return 0;
	default:
		/* Unknown kinds are skipped by their length (RFC 9293 3.2). */
		return 0;
	}
}

int xtcp_opts_parse(const u8 *opt, u32 len, bool syn, struct xtcp_opts *out)
{
	u32 i = 0;

	memset(out, 0, sizeof(*out));
	while (i < len) {
		u8 kind = opt[i];
		u32 olen;

		if (kind == XTCP_OPT_EOL)
			break;
		if (kind == XTCP_OPT_NOP) {
			i++;
			continue;
		}
		/* Every other kind carries a length byte: it must be there. */
		if (len - i < 2)
			goto bad;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			goto bad;
		if (xtcp_opt_one(kind, opt + i, olen, syn, out))
			goto bad;
		i += olen;
	}
	return 0;
bad:
	/* Leave nothing half-parsed for a caller that ignores the error. */
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

/*
 * The layout follows Linux's tcp_options_write(): every option group is
 * padded with leading NOPs to a 32-bit boundary, so the fields that are
 * touched per segment (timestamps, SACK blocks) are word aligned and the
 * total is always a multiple of 4 without trailing padding.  SACK-permitted
 * rides in the two bytes the timestamp option would spend on NOPs.
 */
u32 xtcp_opts_build(u8 *buf, const struct xtcp_opts *in)
{
	u32 n = 0, nsack, room, i;

	if (in->mss_ok) {
		buf[0] = XTCP_OPT_MSS;
		buf[1] = XTCP_OLEN_MSS;
		xtcp_put_be16(buf + 2, in->mss);
		n = 4;
	}
	if (in->ts_ok) {
		if (in->sack_ok) {
			buf[n] = XTCP_OPT_SACK_PERM;
			buf[n + 1] = XTCP_OLEN_SACK_PERM;
		} else {
			buf[n] = XTCP_OPT_NOP;
			buf[n + 1] = XTCP_OPT_NOP;
		}
		buf[n + 2] = XTCP_OPT_TIMESTAMP;
		buf[n + 3] = XTCP_OLEN_TIMESTAMP;
		xtcp_put_be32(buf + n + 4, in->tsval);
		xtcp_put_be32(buf + n + 8, in->tsecr);
		n += 12;
	} else if (in->sack_ok) {
		buf[n] = XTCP_OPT_NOP;
		buf[n + 1] = XTCP_OPT_NOP;
		buf[n + 2] = XTCP_OPT_SACK_PERM;
		buf[n + 3] = XTCP_OLEN_SACK_PERM;
		n += 4;
	}
	if (in->ws_ok) {
		buf[n] = XTCP_OPT_NOP;
		buf[n + 1] = XTCP_OPT_WSCALE;
		buf[n + 2] = XTCP_OLEN_WSCALE;
		buf[n + 3] = min_t(u8, in->ws, XTCP_MAX_WSCALE);
		n += 4;
	}

	/*
	 * At most 20 bytes are used so far, so the subtraction cannot wrap.
	 * Blocks beyond the room are dropped: the receiver of a SACK only
	 * loses information, and the first blocks are the most recent ones
	 * (RFC 2018 4), which the caller is expected to put first.
	 */
	nsack = min_t(u32, in->nsack, XTCP_MAX_SACK_BLOCKS);
	room = (XTCP_OPT_SPACE - n - 4) >> 3;
	nsack = min_t(u32, nsack, room);
	if (nsack) {
		buf[n] = XTCP_OPT_NOP;
		buf[n + 1] = XTCP_OPT_NOP;
		buf[n + 2] = XTCP_OPT_SACK;
		buf[n + 3] = (u8)(XTCP_OLEN_SACK_BASE +
				  nsack * XTCP_OLEN_SACK_PERBLOCK);
		n += 4;
		for (i = 0; i < nsack; i++) {
			xtcp_put_be32(buf + n, in->sack[i].start);
			xtcp_put_be32(buf + n + 4, in->sack[i].end);
			n += 8;
		}
	}
	return n;
}
