/*
 * cx_metrics.h — shared declarations and PostgreSQL version shims.
 *
 * Every C file of the extension that uses PostgreSQL headers includes this
 * first.  Version differences are handled here, in small #if blocks, and
 * nowhere else.
 */
#ifndef CX_METRICS_H
#define CX_METRICS_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/timestamp.h"

#if PG_VERSION_NUM < 150000
#error "cx_metrics requires PostgreSQL 15 or later"
#endif

/* PostgreSQL 17 added infinite intervals; before that none exist. */
#ifdef INTERVAL_NOT_FINITE
#define CX_INTERVAL_IS_FINITE(iv) (!INTERVAL_NOT_FINITE(iv))
#else
#define CX_INTERVAL_IS_FINITE(iv) (true)
#endif

/* Reject an infinite interval argument with a clear error. */
extern void cx_check_interval_finite(const Interval *iv, const char *what);

/* Reject NaN or an infinite double with a clear error. */
extern void cx_check_float_finite(double v, const char *what);

#endif
