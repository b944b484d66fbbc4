// SPDX-License-Identifier: GPL-2.0
/* isn.c: SipHash-2-4 and RFC 6528 initial sequence numbers. */
#include "harness.h"
#include "isn.h"

/* Key bytes 00 01 .. 0f, read as two little-endian words. */
static const struct xtcp_siphash_key key_seq = {
	{ 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL }
};

/*
 * SipHash-2-4 of the messages 00, 00 01, .. 00 01 .. 3e (lengths 0..63)
 * under key_seq: the published test vectors of the SipHash reference
 * implementation (vectors.h), as 64-bit little-endian outputs.
 */
static const uint64_t vectors[64] = {
	0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL, 0x0d6c8009d9a94f5aULL,
	0x85676696d7fb7e2dULL, 0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL,
	0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL, 0x93f5f5799a932462ULL,
	0x9e0082df0ba9e4b0ULL, 0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
	0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL, 0xf723ca908e7af2eeULL,
	0xa129ca6149be45e5ULL, 0x3f2acc7f57c29bdbULL, 0x699ae9f52cbe4794ULL,
	0x4bc1b3f0968dd39cULL, 0xbb6dc91da77961bdULL, 0xbed65cf21aa2ee98ULL,
	0xd0f2cbb02e3b67c7ULL, 0x93536795e3a33e88ULL, 0xa80c038ccd5ccec8ULL,
	0xb8ad50c6f649af94ULL, 0xbce192de8a85b8eaULL, 0x17d835b85bbb15f3ULL,
	0x2f2e6163076bcfadULL, 0xde4daaaca71dc9a5ULL, 0xa6a2506687956571ULL,
	0xad87a3535c49ef28ULL, 0x32d892fad841c342ULL, 0x7127512f72f27cceULL,
	0xa7f32346f95978e3ULL, 0x12e0b01abb051238ULL, 0x15e034d40fa197aeULL,
	0x314dffbe0815a3b4ULL, 0x027990f029623981ULL, 0xcadcd4e59ef40c4dULL,
	0x9abfd8766a33735cULL, 0x0e3ea96b5304a7d0ULL, 0xad0c42d6fc585992ULL,
	0x187306c89bc215a9ULL, 0xd4a60abcf3792b95ULL, 0xf935451de4f21df2ULL,
	0xa9538f0419755787ULL, 0xdb9acddff56ca510ULL, 0xd06c98cd5c0975ebULL,
	0xe612a3cb9ecba951ULL, 0xc766e62cfcadaf96ULL, 0xee64435a9752fe72ULL,
	0xa192d576b245165aULL, 0x0a8787bf8ecb74b2ULL, 0x81b3e73d20b49b6fULL,
	0x7fa8220ba3b2eceaULL, 0x245731c13ca42499ULL, 0xb78dbfaf3a8d83bdULL,
	0xea1ad565322a1a0bULL, 0x60e61c23a3795013ULL, 0x6606d7e446282b93ULL,
	0x6ca4ecb15c5f91e1ULL, 0x9f626da15c9625f3ULL, 0xe51b38608ef25f57ULL,
	0x958a324ceb064572ULL
};

TEST(xtcp_siphash__paper_vector)
{
	/* Appendix A of the SipHash paper: 15-byte message 00 .. 0e. */
	unsigned char msg[15];
	unsigned int i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i;
	CHECK_EQ(xtcp_siphash(msg, sizeof(msg), &key_seq),
		 0xa129ca6149be45e5ULL);
}

TEST(xtcp_siphash__reference_vectors_len_0_to_63)
{
	unsigned char msg[64];
	unsigned int i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i;
	for (i = 0; i < 64; i++)
		CHECK_EQ(xtcp_siphash(msg, i, &key_seq), vectors[i]);
}

TEST(xtcp_siphash__unaligned_input)
{
	unsigned char buf[64 + 1];
	unsigned int i;

	/* The same bytes at an odd address hash the same. */
	for (i = 0; i < 64; i++)
		buf[i + 1] = i;
	for (i = 0; i < 64; i++)
		CHECK_EQ(xtcp_siphash(buf + 1, i, &key_seq), vectors[i]);
}

TEST(xtcp_siphash__key_matters)
{
	struct xtcp_siphash_key k = key_seq;
	unsigned char msg[8] = { 0 };
	uint64_t h = xtcp_siphash(msg, 8, &k);

	k.k[0] ^= 1;
	CHECK(xtcp_siphash(msg, 8, &k) != h);
	k = key_seq;
	k.k[1] ^= 1ULL << 63;
	CHECK(xtcp_siphash(msg, 8, &k) != h);
}

static const struct xtcp_siphash_key key_isn = {
	{ 0x0123456789abcdefULL, 0xfedcba9876543210ULL }
};

/* An integer whose in-memory bytes are b0 b1 b2 b3, as on the wire. */
static uint32_t wire32(uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
	uint8_t b[4] = { b0, b1, b2, b3 };
	uint32_t v;

	memcpy(&v, b, 4);
	return v;
}

static uint16_t wire16(uint8_t b0, uint8_t b1)
{
	uint8_t b[2] = { b0, b1 };
	uint16_t v;

	memcpy(&v, b, 2);
	return v;
}

TEST(xtcp_isn__is_hash_of_wire_tuple_plus_clock)
{
	/* 10.0.0.1:40000 -> 10.0.0.2:80, tuple bytes in wire order. */
	static const uint8_t tuple[12] = {
		10, 0, 0, 1, 10, 0, 0, 2, 0x9c, 0x40, 0x00, 0x50,
	};
	uint32_t h = (uint32_t)xtcp_siphash(tuple, 12, &key_isn);
	uint32_t sa = wire32(10, 0, 0, 1), da = wire32(10, 0, 0, 2);
	uint16_t sp = wire16(0x9c, 0x40), dp = wire16(0x00, 0x50);

	CHECK_EQ(xtcp_isn(&key_isn, sa, da, sp, dp, 0), h);
	CHECK_EQ(xtcp_isn(&key_isn, sa, da, sp, dp, 64 * 1000),
		 (uint32_t)(h + 1000));
}

TEST(xtcp_isn__each_tuple_field_matters)
{
	uint32_t base = xtcp_isn(&key_isn, 1, 2, 3, 4, 0);

	CHECK(xtcp_isn(&key_isn, 5, 2, 3, 4, 0) != base);
	CHECK(xtcp_isn(&key_isn, 1, 5, 3, 4, 0) != base);
	CHECK(xtcp_isn(&key_isn, 1, 2, 5, 4, 0) != base);
	CHECK(xtcp_isn(&key_isn, 1, 2, 3, 5, 0) != base);
	/* Swapping directions gives an unrelated number. */
	CHECK(xtcp_isn(&key_isn, 2, 1, 4, 3, 0) != base);
	/* And the same tuple gives the same number. */
	CHECK_EQ(xtcp_isn(&key_isn, 1, 2, 3, 4, 0), base);
}

TEST(xtcp_isn__key_matters)
{
	CHECK(xtcp_isn(&key_isn, 1, 2, 3, 4, 0) !=
	      xtcp_isn(&key_seq, 1, 2, 3, 4, 0));
}

TEST(xtcp_isn__clock_ticks_every_64ns)
{
	uint32_t base = xtcp_isn(&key_isn, 1, 2, 3, 4, 0);

	CHECK_EQ(xtcp_isn(&key_isn, 1, 2, 3, 4, 63), base);
	CHECK_EQ(xtcp_isn(&key_isn, 1, 2, 3, 4, 64), (uint32_t)(base + 1));
	CHECK_EQ(xtcp_isn(&key_isn, 1, 2, 3, 4, 127), (uint32_t)(base + 1));
	CHECK_EQ(xtcp_isn(&key_isn, 1, 2, 3, 4, 128), (uint32_t)(base + 2));
	/* One second is 15625000 ticks. */
	CHECK_EQ(xtcp_isn(&key_isn, 1, 2, 3, 4, 1000000000ULL),
		 (uint32_t)(base + 15625000));
}

TEST(xtcp_isn__clock_wraps_modulo_2_32)
{
	uint32_t base = xtcp_isn(&key_isn, 1, 2, 3, 4, 0);

	/* 2^32 ticks later the clock part is back where it started. */
	CHECK_EQ(xtcp_isn(&key_isn, 1, 2, 3, 4, 1ULL << 38), base);
	CHECK_EQ(xtcp_isn(&key_isn, 1, 2, 3, 4, (1ULL << 38) + 64),
		 (uint32_t)(base + 1));
	CHECK_EQ(xtcp_isn(&key_isn, 1, 2, 3, 4, ~0ULL),
		 (uint32_t)(base + (uint32_t)(~0ULL >> 6)));
}
