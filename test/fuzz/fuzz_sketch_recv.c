/*
 * fuzz_sketch_recv.c — the binary input of the sketch types (cxsk_recv, as
 * cx_sketch_recv_* runs it).
 *
 * Properties of an accepted message: the sketch validates; sending it
 * gives back the message byte for byte (one encoding per sketch); its text
 * form parses back to the same sketch.
 */
#include "fuzz.h"
#include "sketch_core.h"

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		err[CXSK_ERRLEN];
	size_t		len,
				len2,
				n;
	CxskHeader *h = cxsk_recv(data, size, fz_alloc, &len, err),
			   *h2;
	char	   *out;
	uint8_t    *bin;

	if (h == NULL)
	{
		FZ_CHECK(memchr(err, '\0', CXSK_ERRLEN) != NULL && err[0] != '\0', "rejected without a message");
		fz_free_all();
		return 0;
	}
	FZ_CHECK(cxsk_validate(h, len, err), "accepted message fails validation");
	FZ_CHECK(h->count != 1 || h->min.i == h->max.i, "one value with min != max");

	n = cxsk_send_size(h);
	FZ_CHECK(n == size, "send size differs from the message");
	bin = fz_alloc(n);
	cxsk_send(h, bin);
	FZ_CHECK(memcmp(bin, data, n) == 0, "binary round trip changed the message");

	n = cxsk_format(h, NULL, 0);
	out = fz_alloc(n + 1);
	cxsk_format(h, out, n + 1);
	h2 = cxsk_parse(out, fz_alloc, &len2, err);
	FZ_CHECK(h2 != NULL, "own text form rejected");
	FZ_CHECK(len2 == len && memcmp((char *) h + 4, (char *) h2 + 4, len - 4) == 0,
			 "text round trip changed the sketch");
	fz_free_all();
	return 0;
}
