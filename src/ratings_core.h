/*
 * ratings_core.h — the exact ratings tally and its statistics, free of
 * PostgreSQL headers so they can be unit tested and run under sanitizers.
 *
 * A tally is the count of answers at every point of a declared integer
 * scale low..high, plus the count of skipped (NULL) answers.  The same
 * struct is the in-memory and on-disk layout of the SQL type cx.ratings.
 */
#ifndef CX_RATINGS_CORE_H
#define CX_RATINGS_CORE_H

#include <stddef.h>
#include <stdint.h>

#define CXR_VERSION 1
#define CXR_MIN_POINTS 2
#define CXR_MAX_POINTS 1001
#define CXR_SCALE_MIN (-32768)
#define CXR_SCALE_MAX 32767

/*
 * Layout of a cx.ratings value.  vl_len_ is PostgreSQL's 4-byte varlena
 * header; the number of points is implied by the total size:
 * npoints = (size - offsetof(CxrTally, counts)) / 8.  A 5-point value is
 * 16 + 5 * 8 = 56 bytes.
 */
typedef struct CxrTally
{
	int32_t		vl_len_;		/* varlena header (do not touch directly) */
	uint8_t		version;		/* CXR_VERSION */
	uint8_t		flags;			/* reserved, always 0 */
	int16_t		low;			/* lowest point of the scale */
	int64_t		skipped;		/* NULL answers (not asked / no answer) */
	int64_t		counts[];		/* answers at low, low + 1, ..., high */
} CxrTally;

#define CXR_HDRSZ offsetof(CxrTally, counts)

/* A read-only view of a tally, for the statistics below. */
typedef struct CxrView
{
	int			low;
	int			npoints;
	int64_t		skipped;
	const int64_t *counts;
} CxrView;

/* Result codes of the parser and validators. */
typedef enum cxr_status
{
	CXR_OK = 0,
	CXR_ESYNTAX,				/* malformed text */
	CXR_ESCALE,					/* scale bounds invalid */
	CXR_ERANGE					/* a count is negative or the total overflows */
} cxr_status;

/* Check a declared scale; returns CXR_OK or CXR_ESCALE with a reason. */
extern cxr_status cxr_check_scale(int64_t low, int64_t high, const char **why);

/* Sum of the counts; returns 0 and sets *total, or -1 on overflow or a negative count. */
extern int	cxr_total(const int64_t *counts, int npoints, int64_t *total);

/*
 * Parse the text form "low..high: c1 c2 ... cn[; k skipped]".  counts must
 * have room for CXR_MAX_POINTS values.  On failure *why explains.
 */
extern cxr_status cxr_parse(const char *s, int *low, int *npoints,
						   int64_t *skipped, int64_t *counts, const char **why);

/* Format a tally; writes at most len bytes (NUL included), returns the length needed. */
extern size_t cxr_format(const CxrView *v, char *buf, size_t len);

/* Number of answers (skipped excluded). */
extern int64_t cxr_n(const CxrView *v);

/* Mean of the answers; NaN when there are none. */
extern double cxr_mean(const CxrView *v);

/* Sample variance (n - 1 denominator); NaN when n < 2. */
extern double cxr_variance(const CxrView *v);

/* How many top points make the csat positive set of a scale of npoints. */
extern int	cxr_positive_points(int npoints);

/* Answers in the top k points. */
extern int64_t cxr_top_count(const CxrView *v, int k);

/* Answers in the bottom k points. */
extern int64_t cxr_bottom_count(const CxrView *v, int k);

/* Net Promoter Score of a 0..10 tally (-100..100); NaN when n = 0. */
extern double cxr_nps(const CxrView *v);

/* Per-answer variance of the NPS, 100^2 [(p + d) - (p - d)^2]; NaN when n = 0. */
extern double cxr_nps_variance(const CxrView *v);

/* Standard normal cumulative distribution function. */
extern double cxr_norm_cdf(double x);

/* Standard normal quantile (inverse CDF), Wichura's AS 241; p in (0, 1). */
extern double cxr_norm_quantile(double p);

/* Regularized incomplete beta function I_x(a, b). */
extern double cxr_inc_beta(double a, double b, double x);

/* Student t cumulative distribution function with df > 0 degrees of freedom. */
extern double cxr_t_cdf(double t, double df);

/* Student t quantile with df > 0 degrees of freedom; p in (0, 1). */
extern double cxr_t_quantile(double p, double df);

/* Two-sided critical value z for a confidence level in (0, 1). */
extern double cxr_z_for_confidence(double confidence);

/* Wilson score interval for x successes of n (fractions); n > 0. */
extern void cxr_wilson(int64_t x, int64_t n, double z, double *lo, double *hi);

/*
 * Two-proportion z test of x1/n1 against x2/n2 (pooled standard error).
 * Returns 0 with *z and *p (two-sided), or -1 when the standard error is 0.
 */
extern int	cxr_two_prop_z(int64_t x1, int64_t n1, int64_t x2, int64_t n2,
						   double *z, double *p);

/*
 * Welch's t test of two means.  Returns 0 with *t, *df, *p (two-sided), or
 * -1 when the standard error is 0.
 */
extern int	cxr_welch(double m1, double v1, double n1, double m2, double v2, double n2,
					  double *t, double *df, double *p);

/* Bytes of the binary form before the skipped count: version, flags, low, high. */
#define CXR_WIRE_HDRSZ 6

/* Bytes of the binary form of a tally of npoints points. */
extern size_t cxr_binary_size(int npoints);

/*
 * Write the binary form of v into out (cxr_binary_size bytes): version and
 * flags (1 byte each), low and high (int16 each), skipped (int64), then one
 * int64 count per point, big-endian as PostgreSQL's send functions write.
 */
extern void cxr_encode_binary(const CxrView *v, uint8_t *out);

/*
 * Decode the binary form (all len bytes of it); counts must have room for
 * CXR_MAX_POINTS values.  On failure *why explains.
 */
extern cxr_status cxr_decode_binary(const uint8_t *buf, size_t len, int *low, int *npoints,
								   int64_t *skipped, int64_t *counts, const char **why);

#endif
