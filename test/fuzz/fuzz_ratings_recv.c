/*
 * fuzz_ratings_recv.c — the binary input of cx.ratings (cxr_decode_binary,
 * as cxr_recv runs it).  Accepted message: a valid tally that encodes back
 * to the message byte for byte, and survives the text round trip.
 */
#include "ratings_check.h"

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int64_t counts[CXR_MAX_POINTS];
	int			low,
				n;
	int64_t		skipped;
	const char *why = NULL;

	if (cxr_decode_binary(data, size, &low, &n, &skipped, counts, &why) == CXR_OK)
	{
		CxrView		v = {low, n, skipped, counts};
		uint8_t    *bin = fz_alloc(size);

		FZ_CHECK(cxr_binary_size(n) == size, "binary size differs from the message");
		cxr_encode_binary(&v, bin);
		FZ_CHECK(memcmp(bin, data, size) == 0, "binary round trip changed the message");
		ratings_round_trips(low, n, skipped, counts);
	}
	else
		FZ_CHECK(why != NULL && why[0] != '\0', "rejected without a message");
	fz_free_all();
	return 0;
}
