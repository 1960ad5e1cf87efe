/*
 * unit.h — a tiny test harness for the pure-C parts (the src/NAME_core.c files).
 *
 * CHECK(cond, name...) prints "PASS name" or "FAIL name (file:line)";
 * unit_done() returns the exit status for main(); unit_xorshift() gives the
 * tests their reproducible random inputs.
 */
#ifndef CX_UNIT_H
#define CX_UNIT_H

#include <stdio.h>
#include <stdarg.h>
#include <stdint.h>

static int	unit_failures = 0;
static int	unit_passes = 0;

/* Report one check. */
static inline void
unit_check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list		ap;

	fputs(ok ? "PASS " : "FAIL ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		printf(" (%s:%d)", file, line);
	putchar('\n');
	if (ok)
		unit_passes++;
	else
		unit_failures++;
}

#define CHECK(cond, ...) unit_check((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

/* Next number of a deterministic pseudo-random sequence (xorshift64). */
static inline uint64_t
unit_xorshift(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* Exit status for main(). */
static inline int
unit_done(void)
{
	fflush(stdout);
	return unit_failures ? 1 : 0;
}

#endif
