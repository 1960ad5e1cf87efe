/*
 * fuzz.h — shared helpers of the libFuzzer targets (test/fuzz/fuzz_*.c).
 *
 * Each target feeds untrusted bytes to one decoder of the core
 * files, exactly as the server's input, recv or deserialize function does,
 * and checks properties of what the decoder accepts (it validates, and it
 * encodes back to an equal value).  A failed property aborts, which
 * libFuzzer reports as a crash with the input that caused it.
 */
#ifndef CX_FUZZ_H
#define CX_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message when a property does not hold. */
#define FZ_CHECK(cond, what) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "property failed: %s (%s:%d)\n", (what), __FILE__, __LINE__); \
			abort(); \
		} \
	} while (0)

/* Allocations of the current input, freed together by fz_free_all(). */
#define FZ_MAX_ALLOCS 64
static void *fz_allocs[FZ_MAX_ALLOCS];
static int	fz_nallocs = 0;

/* Allocator callback for the core (like palloc: freed with the input). */
static inline void *
fz_alloc(size_t n)
{
	void	   *p;

	FZ_CHECK(fz_nallocs < FZ_MAX_ALLOCS, "too many allocations for one input");
	p = malloc(n ? n : 1);
	FZ_CHECK(p != NULL, "out of memory");
	fz_allocs[fz_nallocs++] = p;
	return p;
}

/* Free every allocation made for the current input. */
static inline void
fz_free_all(void)
{
	while (fz_nallocs > 0)
		free(fz_allocs[--fz_nallocs]);
}

/* The input as a C string (up to its first NUL, as a cstring argument is). */
static inline char *
fz_cstring(const uint8_t *data, size_t size)
{
	char	   *s = fz_alloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Compare doubles for qsort. */
static inline int
fz_cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* Compare int64 for qsort. */
static inline int
fz_cmp_int64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a,
				y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

#endif
