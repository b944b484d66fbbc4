/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny unit-test harness: each test_<file>.c is one program that
 * includes this header once.  TEST(name) registers a test at start-up;
 * main() runs them in order and prints TAP:
 *
 *   1..N
 *   ok 1 - name
 *   not ok 2 - name
 *   N passed, N failed
 *
 * CHECK() and CHECK_EQ() report file:line and the values, mark the test
 * failed and go on, so one run shows every broken expectation.
 */
#ifndef _XTCP_TEST_HARNESS_H
#define _XTCP_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

#define TEST_MAX 512

static struct test_case test_cases[TEST_MAX];
static int test_count;
static int test_failed_now;

static void test_register(const char *name, void (*fn)(void))
{
	if (test_count == TEST_MAX) {
		fprintf(stderr, "harness: more than %d tests\n", TEST_MAX);
		exit(2);
	}
	test_cases[test_count].name = name;
	test_cases[test_count].fn = fn;
	test_count++;
}

#define TEST(name)							\
	static void test_##name(void);					\
	__attribute__((constructor)) static void test_reg_##name(void)	\
	{								\
		test_register(#name, test_##name);			\
	}								\
	static void test_##name(void)

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("# %s:%d: CHECK(%s) failed\n",		\
			       __FILE__, __LINE__, #cond);		\
			test_failed_now = 1;				\
		}							\
	} while (0)

/* Compares as unsigned 64-bit, prints both in decimal and hex. */
#define CHECK_EQ(a, b)							\
	do {								\
		uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);	\
		if (_a != _b) {						\
			printf("# %s:%d: CHECK_EQ(%s, %s) failed: "	\
			       "%" PRIu64 " (0x%" PRIx64 ") != "	\
			       "%" PRIu64 " (0x%" PRIx64 ")\n",		\
			       __FILE__, __LINE__, #a, #b,		\
			       _a, _a, _b, _b);				\
			test_failed_now = 1;				\
		}							\
	} while (0)

/* Byte-exact buffer comparison; prints the first difference. */
#define CHECK_MEM(a, b, n)						\
	do {								\
		const unsigned char *_pa = (const void *)(a);		\
		const unsigned char *_pb = (const void *)(b);		\
		size_t _i, _n = (n);					\
		for (_i = 0; _i < _n; _i++)				\
			if (_pa[_i] != _pb[_i])				\
				break;					\
		if (_i < _n) {						\
			printf("# %s:%d: CHECK_MEM(%s, %s) failed at "	\
			       "byte %zu: 0x%02x != 0x%02x\n",		\
			       __FILE__, __LINE__, #a, #b, _i,		\
			       _pa[_i], _pb[_i]);			\
			test_failed_now = 1;				\
		}							\
	} while (0)

int main(void)
{
	int i, passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%d\n", test_count);
	for (i = 0; i < test_count; i++) {
		test_failed_now = 0;
		test_cases[i].fn();
		if (test_failed_now) {
			printf("not ok %d - %s\n", i + 1, test_cases[i].name);
			failed++;
		} else {
			printf("ok %d - %s\n", i + 1, test_cases[i].name);
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

#endif /* _XTCP_TEST_HARNESS_H */
