/*
 * common.c — module magic and helpers shared by every concern.
 */
#include "cx_metrics.h"

#include <math.h>

PG_MODULE_MAGIC;

/* Reject an infinite interval argument with a clear error. */
void
cx_check_interval_finite(const Interval *iv, const char *what)
{
	if (!CX_INTERVAL_IS_FINITE(iv))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite interval", what),
				 errdetail("Infinite intervals have no place on a cycle-time scale."),
				 errhint("Filter them out, for example with WHERE isfinite(...).")));
}

/* Reject NaN or an infinite double with a clear error. */
void
cx_check_float_finite(double v, const char *what)
{
	if (isnan(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must not be NaN", what),
				 errdetail("NaN has no position on a cycle-time or score scale."),
				 errhint("Filter NaN out, or turn it into NULL with NULLIF(x, 'NaN').")));
	if (isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be finite, not %s", what, v > 0 ? "Infinity" : "-Infinity"),
				 errdetail("Infinite values have no position on a cycle-time or score scale."),
				 errhint("Filter them out, or turn them into NULL.")));
}
