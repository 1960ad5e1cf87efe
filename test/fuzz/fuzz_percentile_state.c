/*
 * fuzz_percentile_state.c — the deserialize function of the exact percentile
 * aggregates' partial state (cxpct_check_state, cxpct_fractions and
 * cxpct_decode, as cx_pct_deserialize runs them on the bytes after the
 * varlena word).
 *
 * Properties of an accepted state: every fraction is NULL (NaN) or in
 * [0, 1]; the values re-encode to the same bytes in the state's layout;
 * re-serialized as the server does (narrowest layout, zero padding) the
 * state is accepted again and decodes to the same fractions and values.
 */
#include "fuzz.h"
#include "percentile_core.h"

#include <math.h>

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CxPctSerialHeader hdr,
				hdr2;
	int32_t		layout,
				layout2;
	size_t		head,
				head2,
				esz,
				len2;
	const char *why = NULL;
	/* a copy that starts 1 byte past an aligned address, as a short varlena's data may */
	char	   *in = (char *) fz_alloc(size + 1) + 1;
	double	   *pcts,
			   *pcts2;
	char	   *vals,
			   *vals2,
			   *wire,
			   *buf;
	int			i;

	memcpy(in, data, size);
	if (!cxpct_check_state(in, size, &hdr, &layout, &head, &why))
	{
		FZ_CHECK(why != NULL && why[0] != '\0', "rejected without a message");
		fz_free_all();
		return 0;
	}
	FZ_CHECK(hdr.npct >= 0 && hdr.npct <= CXPCT_MAX_PERCENTILES && hdr.n >= 0, "header out of range");
	FZ_CHECK(head + 4 == cxpct_header_len(hdr.npct) && head <= size, "header length");
	pcts = fz_alloc((size_t) hdr.npct * sizeof(double));
	cxpct_fractions(in, hdr.npct, pcts);
	for (i = 0; i < hdr.npct; i++)
		FZ_CHECK(isnan(pcts[i]) || (pcts[i] >= 0 && pcts[i] <= 1), "fraction outside [0, 1]");
	if (hdr.flags & CXPCT_FLAG_SHARED)
	{
		/* the rest is a shared-memory reference, checked by the glue */
		fz_free_all();
		return 0;
	}
	if (hdr.flags & CXPCT_FLAG_FILE)
	{
		/* a temporary-file reference: exactly one, whose name check never overreads */
		CxPctFileRef ref;

		FZ_CHECK(size == head + sizeof(ref) && layout == 0, "file reference length");
		memcpy(&ref, in + head, sizeof(ref));
		if (cxpct_file_ref_ok(&ref, hdr.n))
			FZ_CHECK(ref.n == hdr.n && memcmp(ref.name, "cxpct.", 6) == 0 &&
					 memchr(ref.name, '\0', sizeof(ref.name)) != NULL, "file reference accepted");
		fz_free_all();
		return 0;
	}
	FZ_CHECK(size == head + (size_t) hdr.n * cxpct_wire_size(hdr.kind, layout), "value bytes");

	esz = cxpct_elem_size(hdr.kind);
	vals = fz_alloc((size_t) hdr.n * esz);
	cxpct_decode(hdr.kind, layout, in + head, hdr.n, vals);
	wire = fz_alloc(size - head);
	cxpct_encode(hdr.kind, layout, vals, hdr.n, wire);
	FZ_CHECK(memcmp(wire, in + head, size - head) == 0, "values re-encode differently");

	/* serialize again as the server does */
	layout2 = hdr.kind == CXPCT_KIND_INTERVAL ? cxpct_interval_layout((const CxInterval *) vals, hdr.n) : 0;
	len2 = head + (size_t) hdr.n * cxpct_wire_size(hdr.kind, layout2);
	buf = fz_alloc(len2);
	memset(buf, 0, head);
	hdr2 = hdr;
	hdr2.flags = (hdr.flags & ~CXPCT_LAYOUTS) | layout2;
	memcpy(buf, &hdr2, sizeof(hdr2));
	memcpy(buf + sizeof(hdr2), pcts, (size_t) hdr.npct * sizeof(double));
	cxpct_encode(hdr.kind, layout2, vals, hdr.n, buf + head);
	FZ_CHECK(cxpct_check_state(buf, len2, &hdr2, &layout2, &head2, &why), "own serialized state rejected");
	FZ_CHECK(head2 == head && hdr2.n == hdr.n && hdr2.npct == hdr.npct, "re-serialized header");
	pcts2 = fz_alloc((size_t) hdr.npct * sizeof(double));
	cxpct_fractions(buf, hdr.npct, pcts2);
	FZ_CHECK(memcmp(pcts, pcts2, (size_t) hdr.npct * sizeof(double)) == 0, "fractions changed");
	vals2 = fz_alloc((size_t) hdr.n * esz);
	cxpct_decode(hdr.kind, layout2, buf + head, hdr.n, vals2);
	FZ_CHECK(memcmp(vals, vals2, (size_t) hdr.n * esz) == 0, "values changed");
	fz_free_all();
	return 0;
}
