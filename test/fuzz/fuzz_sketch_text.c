/*
 * fuzz_sketch_text.c — the text input of cx.cycle_sketch and
 * cx.number_sketch (cxsk_parse, as cx_sketch_in_* runs it).
 *
 * Properties of an accepted text: the sketch passes cxsk_validate; its
 * text form parses back to the same bytes; its binary form decodes back to
 * the same bytes.
 */
#include "fuzz.h"
#include "sketch_core.h"

/* Are two sketches byte for byte the same (the varlena word aside)? */
static int
same_sketch(const CxskHeader *a, size_t alen, const CxskHeader *b, size_t blen)
{
	return alen == blen &&
		memcmp((const char *) a + 4, (const char *) b + 4, alen - 4) == 0;
}

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		err[CXSK_ERRLEN];
	char	   *text = fz_cstring(data, size);
	size_t		len,
				len2,
				n;
	CxskHeader *h = cxsk_parse(text, fz_alloc, &len, err),
			   *h2;
	char	   *out;
	uint8_t    *bin;

	if (h == NULL)
	{
		FZ_CHECK(memchr(err, '\0', CXSK_ERRLEN) != NULL && err[0] != '\0', "rejected without a message");
		fz_free_all();
		return 0;
	}
	FZ_CHECK(cxsk_validate(h, len, err), "accepted text fails validation");
	FZ_CHECK(cxsk_check_layout(h, len), "accepted text fails the layout check");
	FZ_CHECK(h->count != 1 || h->min.i == h->max.i, "one value with min != max");

	n = cxsk_format(h, NULL, 0);
	out = fz_alloc(n + 1);
	FZ_CHECK(cxsk_format(h, out, n + 1) == n && strlen(out) == n, "format length");
	h2 = cxsk_parse(out, fz_alloc, &len2, err);
	FZ_CHECK(h2 != NULL, "own text form rejected");
	FZ_CHECK(same_sketch(h, len, h2, len2), "text round trip changed the sketch");

	n = cxsk_send_size(h);
	bin = fz_alloc(n);
	cxsk_send(h, bin);
	h2 = cxsk_recv(bin, n, fz_alloc, &len2, err);
	FZ_CHECK(h2 != NULL, "own binary form rejected");
	FZ_CHECK(same_sketch(h, len, h2, len2), "binary round trip changed the sketch");
	fz_free_all();
	return 0;
}
