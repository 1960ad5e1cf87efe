/*
 * fuzz_unit_word.c — the time-unit words of the sketch accessors
 * (cxsk_unit_us, as cx.percentile(sketch, p, unit) and friends run it).
 * An accepted word is one of the listed units in some mix of cases: its
 * lower-case and upper-case spellings name the same unit.
 */
#include "fuzz.h"
#include "sketch_core.h"

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *w = fz_cstring(data, size);
	double		us = cxsk_unit_us(w);
	size_t		i,
				n = strlen(w);

	if (us != 0)
	{
		FZ_CHECK(us >= 1 && us <= 6.048e11, "unit out of range");
		for (i = 0; i < n; i++)
			if (w[i] >= 'a' && w[i] <= 'z')
				w[i] = (char) (w[i] - 'a' + 'A');
		FZ_CHECK(cxsk_unit_us(w) == us, "upper case names another unit");
		for (i = 0; i < n; i++)
		{
			FZ_CHECK(w[i] >= 'A' && w[i] <= 'Z', "a unit word with a non-letter");
			w[i] = (char) (w[i] - 'A' + 'a');
		}
		FZ_CHECK(cxsk_unit_us(w) == us, "lower case names another unit");
	}
	fz_free_all();
	return 0;
}
