/*
 * fuzz_ratings_text.c — the text input of cx.ratings (cxr_parse, as
 * cxr_in runs it).  Accepted text: a valid tally whose text and binary
 * forms decode back to it.
 */
#include "ratings_check.h"

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int64_t counts[CXR_MAX_POINTS];
	char	   *s = fz_cstring(data, size);
	int			low,
				n;
	int64_t		skipped;
	const char *why = NULL;

	if (cxr_parse(s, &low, &n, &skipped, counts, &why) == CXR_OK)
		ratings_round_trips(low, n, skipped, counts);
	else
		FZ_CHECK(why != NULL && why[0] != '\0', "rejected without a message");
	fz_free_all();
	return 0;
}
