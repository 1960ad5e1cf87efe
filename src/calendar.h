/*
 * calendar.h — business calendars as seen by the other C files.
 */
#ifndef CX_CALENDAR_H
#define CX_CALENDAR_H

#include "datatype/timestamp.h"
#include "standard_core.h"

/*
 * Due time of an item started at `started` under std on the named calendar
 * (name of name_len bytes, not necessarily NUL-terminated): started plus the
 * allowance for elapsed units, the end of the n-th business day for business
 * days.  Same result as the SQL function cx.due_at.  Raises an error for an
 * unknown calendar or an infinite start.
 */
extern TimestampTz cal_due_at(TimestampTz started, const CxstdStandard *std,
									  const char *name, int name_len);

/* Business days between two timestamps, as cx.business_days. */
extern int32 cal_business_days(TimestampTz start, TimestampTz finish,
									   const char *name, int name_len);

#endif
