/*
 * fuzz_prim_unit_word.c — the time-unit vocabulary (cxp_time_unit_of, as the
 * unit arguments of the sketch accessors and the text input of cx.standard
 * run it), here on every byte of the input, NULs included.  An accepted
 * word is one of the listed units in some mix of cases: its lower-case and
 * upper-case spellings name the same unit.
 */
#include "fuzz.h"
#include "prim_core.h"

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *w = fz_cstring(data, size);
	size_t		i,
				n = size;
	cxp_time_unit u = cxp_time_unit_of(w, n);

	if (u != CXP_UNIT_NONE)
	{
		FZ_CHECK(cxp_unit_usecs(u) >= 1 && cxp_unit_usecs(u) <= 7 * CXP_USECS_PER_DAY,
				 "unit out of range");
		FZ_CHECK(strcmp(cxp_unit_name(u), "?") != 0, "a unit without a name");
		for (i = 0; i < n; i++)
			if (w[i] >= 'a' && w[i] <= 'z')
				w[i] = (char) (w[i] - 'a' + 'A');
		FZ_CHECK(cxp_time_unit_of(w, n) == u, "upper case names another unit");
		for (i = 0; i < n; i++)
		{
			FZ_CHECK(w[i] >= 'A' && w[i] <= 'Z', "a unit word with a non-letter");
			w[i] = (char) (w[i] - 'A' + 'a');
		}
		FZ_CHECK(cxp_time_unit_of(w, n) == u, "lower case names another unit");
	}
	fz_free_all();
	return 0;
}
