/*
 * standard.h — the cx.standard type as seen by the other C files.
 */
#ifndef CX_STANDARD_H
#define CX_STANDARD_H

#include "standard_core.h"

#define DatumGetStandardP(X)	((CxstdStandard *) DatumGetPointer(X))
#define PG_GETARG_STANDARD_P(n) DatumGetStandardP(PG_GETARG_DATUM(n))
#define PG_RETURN_STANDARD_P(x) PG_RETURN_POINTER(x)

#endif
