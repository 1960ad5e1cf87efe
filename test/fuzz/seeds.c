/*
 * seeds.c — write the seed corpus of the fuzz targets: valid values in
 * every encoding a decoder reads, produced by the core's own encoders.
 *
 * Usage: seeds DIR  (writes DIR/<target>/seed-<n>; directories are created)
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "percentile_core.h"
#include "ratings_core.h"
#include "sketch_build.h"
#include "sketch_core.h"
#include "standard_core.h"

static const char *root;

/* Write one seed of a target. */
static void
seed(const char *target, const void *data, size_t len)
{
	static int	n = 0;
	char		path[1024];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s", root, target);
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
	{
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/seed-%d", root, target, n++);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
	{
		perror(path);
		exit(1);
	}
}

/* Seeds of the sketch targets from one set of values. */
static void
sketch_seeds(int isint, double alpha, const double *xs, int n)
{
	CxskHeader *h = NULL,
			   *c;
	size_t		len,
				tlen;
	uint8_t    *bin;
	char	   *text;
	int			i;

	for (i = 0; i < n; i++)
		sb_add(&h, isint, alpha, xs[i], (int64_t) xs[i]);
	c = sb_compact(h, &len);
	tlen = cxsk_format(c, NULL, 0);
	text = malloc(tlen + 1);
	cxsk_format(c, text, tlen + 1);
	seed("sketch_text", text, tlen);
	bin = malloc(cxsk_send_size(c));
	cxsk_send(c, bin);
	seed("sketch_recv", bin, cxsk_send_size(c));
	free(bin);
	free(text);
	free(c);
	free(h);
}

/* Seeds of the ratings targets. */
static void
ratings_seeds(const char *text)
{
	int64_t		counts[CXR_MAX_POINTS];
	int			low,
				n;
	int64_t		skipped;
	const char *why;
	CxrView		v;
	uint8_t    *bin;

	seed("ratings_text", text, strlen(text));
	if (cxr_parse(text, &low, &n, &skipped, counts, &why) != CXR_OK)
	{
		fprintf(stderr, "seed '%s' does not parse: %s\n", text, why);
		exit(1);
	}
	v.low = low;
	v.npoints = n;
	v.skipped = skipped;
	v.counts = counts;
	bin = malloc(cxr_binary_size(n));
	cxr_encode_binary(&v, bin);
	seed("ratings_recv", bin, cxr_binary_size(n));
	free(bin);
}

/* Seeds of the standard targets. */
static void
standard_seeds(const char *text)
{
	CxstdStandard std;
	uint8_t		bin[CXSTD_BINARY_SIZE];

	seed("standard_text", text, strlen(text));
	if (cxstd_parse(text, strlen(text), &std, NULL) != CXSTD_OK)
	{
		fprintf(stderr, "seed '%s' does not parse\n", text);
		exit(1);
	}
	cxstd_encode_binary(&std, bin);
	seed("standard_recv", bin, sizeof(bin));
}

/* A serialized percentile state (without its varlena word) as the server writes it. */
static void
pct_seed(int32_t kind, int multi, const double *pcts, int npct, const void *values, int64_t n)
{
	CxPctSerialHeader hdr;
	int32_t		layout = kind == CXPCT_KIND_INTERVAL ?
		cxpct_interval_layout((const CxInterval *) values, n) : 0;
	size_t		head = cxpct_header_len(npct) - 4,
				len = head + (size_t) n * cxpct_wire_size(kind, layout);
	char	   *buf = calloc(1, len);

	memset(&hdr, 0, sizeof(hdr));
	hdr.version = CXPCT_SERIAL_VERSION;
	hdr.kind = kind;
	hdr.flags = (multi ? CXPCT_FLAG_MULTI : 0) | layout;
	hdr.npct = npct;
	hdr.n = n;
	if (multi && npct > 0)
	{
		/* an even count as a 2 x (npct / 2) array with bounds from 0, as '[0:1][0:2]={...}' */
		hdr.shape.ndim = npct % 2 == 0 ? 2 : 1;
		hdr.shape.dims[0] = npct % 2 == 0 ? 2 : npct;
		hdr.shape.dims[1] = npct % 2 == 0 ? npct / 2 : 0;
		hdr.shape.lbs[0] = npct % 2 == 0 ? 0 : 1;
	}
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), pcts, (size_t) npct * sizeof(double));
	cxpct_encode(kind, layout, values, n, buf + head);
	seed("percentile_state", buf, len);
	free(buf);
}

/* A partial state that refers to a worker's temporary file. */
static void
pct_file_seed(int32_t kind, int64_t n)
{
	static const double half = 0.5;
	CxPctSerialHeader hdr;
	CxPctFileRef ref;
	size_t		head = cxpct_header_len(1) - 4;
	char	   *buf = calloc(1, head + sizeof(ref));

	memset(&hdr, 0, sizeof(hdr));
	hdr.version = CXPCT_SERIAL_VERSION;
	hdr.kind = kind;
	hdr.flags = CXPCT_FLAG_FILE;
	hdr.npct = 1;
	hdr.n = n;
	memset(&ref, 0, sizeof(ref));
	ref.n = n;
	memset(ref.lo, 0x11, sizeof(ref.lo));
	memset(ref.hi, 0xee, sizeof(ref.hi));
	snprintf(ref.name, sizeof(ref.name), "cxpct.%d.%016llx", 4242, 0xdeadbeefcafeULL);
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), &half, sizeof(half));
	memcpy(buf + head, &ref, sizeof(ref));
	seed("percentile_state", buf, head + sizeof(ref));
	free(buf);
}

/* Write every seed. */
int
main(int argc, char **argv)
{
	static const double nums[] = {1.5, 2.25, 1e6, 0, -3.5, 42, 7e-5, 0, 1.5, 99};
	static const double durs[] = {86400e6, 3600e6, 0, 1, 604800e6, 86400e6 * 30, 5e6, -2e6};
	static const double one[] = {5};
	static const char *ratings[] = {
		"1..5: 3 0 10 25 40", "0..10: 1 0 2 3 4 5 6 7 8 9 10; 4 skipped", "1..7: 0 0 0 0 0 0 1",
		"0..1: 12 30", "1..10: 1 1 1 1 1 1 1 1 1 1", "-3..3: 0 1 2 3 2 1 0; 0 skipped",
	};
	static const char *standards[] = {
		"90% within 30 business days", "within 5 days", "80% within 20 minutes",
		"99.5% within 1 hour", "100% within 2 weeks", "50.1234% within 86400 seconds",
		"  75%   WITHIN 3 Business Days ",
	};
	static const char *words[] = {"days", "Hours", "ms", "week", "MICROSECONDS", "min", "s", "d", "h", "us"};
	static const char *ops[] = {"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11",
	"\x81\x40\x00\x00\x00\x00\x00\x00\x01\xff\xff\xff\xff\xff\xff\xff\xf0\x00\x00\x00\x00\x00\x00\x00\x02"};
	double		fr[] = {0.5, 0.9, 0.95, NAN, 0, 1};
	double		fv[] = {3, 1, 2, -7.5, 1e300, 0};
	CxInterval	iv[] = {{86400000000LL, 0, 0}, {5, 1, 0}, {-7, 0, 2}, {0, 0, 0}};
	CxInterval	it[] = {{86400000000LL, 0, 0}, {5, 0, 0}};
	CxInterval	id[] = {{86400000000LL, 3, 0}, {5, -1, 0}};
	size_t		i;

	if (argc != 2)
	{
		fprintf(stderr, "usage: seeds DIR\n");
		return 2;
	}
	root = argv[1];
	if (mkdir(root, 0777) != 0 && errno != EEXIST)
	{
		perror(root);
		return 1;
	}
	sketch_seeds(0, 0.01, nums, 10);
	sketch_seeds(0, 0.05, nums + 4, 3);
	sketch_seeds(0, 0.01, one, 1);
	sketch_seeds(1, 0.01, durs, 8);
	sketch_seeds(1, 0.001, durs, 4);
	sketch_seeds(1, 0.5, durs + 2, 1);
	for (i = 0; i < sizeof(ratings) / sizeof(ratings[0]); i++)
		ratings_seeds(ratings[i]);
	for (i = 0; i < sizeof(standards) / sizeof(standards[0]); i++)
		standard_seeds(standards[i]);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		seed("prim_unit_word", words[i], strlen(words[i]));
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		seed("sketch_ops", ops[i], strlen(ops[i]) + 1);
	seed("sketch_ops", nums, sizeof(nums));
	{
		/* Saturday and Sunday off, federal holidays, two closures in 2024; 30 business days */
		static const unsigned char cal[] = {0xE0, 2, 0x00, 0x02, 0x24, 0x00, 0x0a, 0x00, 0xc8,
		0x00, 0x05, 0x01, 0x6d, 0x00, 0x1e};
		/* Monday to Thursday only, no holidays, far days */
		static const unsigned char cal4[] = {0x70, 0, 0x00, 0x00, 0x00, 0xff, 0xf0, 0x00, 0x40, 0x00, 0x01,
		0x27, 0x10, 0xfc, 0x18};
		unsigned char sel[3 + sizeof(fv)];
		unsigned char seli[3 + sizeof(iv)];

		seed("calendar_days", cal, sizeof(cal));
		seed("calendar_days", cal4, sizeof(cal4));
		sel[0] = 3 << 1;
		sel[1] = 100;
		sel[2] = 3;
		memcpy(sel + 3, fv, sizeof(fv));
		seed("percentile_select", sel, sizeof(sel));
		seli[0] = (5 << 1) | 1;
		seli[1] = 40;
		seli[2] = 0x47;
		memcpy(seli + 3, iv, sizeof(iv));
		seed("percentile_select", seli, sizeof(seli));
	}
	pct_seed(CXPCT_KIND_FLOAT8, 0, fr, 1, fv, 6);
	pct_seed(CXPCT_KIND_FLOAT8, 1, fr, 6, fv, 3);
	pct_seed(CXPCT_KIND_FLOAT8, 1, fr, 0, fv, 0);
	pct_seed(CXPCT_KIND_INTERVAL, 0, fr + 1, 1, iv, 4);
	pct_seed(CXPCT_KIND_INTERVAL, 1, fr, 3, it, 2);
	pct_seed(CXPCT_KIND_INTERVAL, 1, fr, 2, id, 2);
	pct_file_seed(CXPCT_KIND_FLOAT8, 300000000);
	pct_file_seed(CXPCT_KIND_INTERVAL, 7);
	return 0;
}
