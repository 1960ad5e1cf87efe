/*
 * fuzz_standard_text.c — the text input of cx.standard (cxstd_parse, as
 * cx_standard_in runs it, here on every byte of the input, NULs included).
 * Accepted text: a standard that validates, whose canonical text parses
 * back to it, and whose binary form decodes back to it.
 */
#include "fuzz.h"
#include "standard_core.h"

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CxstdStandard std,
				back;
	CxstdParseInfo info;
	char		buf[64];
	uint8_t		bin[CXSTD_BINARY_SIZE];
	size_t		n;
	int			version;
	cxstd_error err;

	memset(&info, 0, sizeof(info));
	err = cxstd_parse((const char *) data, size, &std, &info);

	if (err != CXSTD_OK)
	{
		FZ_CHECK(info.pos <= size, "error position past the input");
		FZ_CHECK(memchr(info.token, '\0', sizeof(info.token)) != NULL, "unterminated error token");
		return 0;
	}
	FZ_CHECK(cxstd_validate(&std) == CXSTD_OK, "accepted text fails validation");
	n = cxstd_format(&std, buf, sizeof(buf));
	FZ_CHECK(n < sizeof(buf) && strlen(buf) == n, "format length");
	FZ_CHECK(cxstd_parse(buf, n, &back, NULL) == CXSTD_OK, "own text form rejected");
	FZ_CHECK(memcmp(&back, &std, sizeof(std)) == 0 && cxstd_compare(&back, &std) == 0,
			 "text round trip changed the standard");
	cxstd_encode_binary(&std, bin);
	FZ_CHECK(cxstd_decode_binary(bin, sizeof(bin), &back, &version) == CXSTD_BIN_OK,
			 "own binary form rejected");
	FZ_CHECK(memcmp(&back, &std, sizeof(std)) == 0, "binary round trip changed the standard");
	FZ_CHECK(std.unit == CXSTD_BUSINESS_DAYS ? cxstd_allowance_usecs(&std) == -1 :
			 cxstd_allowance_usecs(&std) == (int64_t) std.amount * cxstd_unit_seconds(std.unit) * 1000000,
			 "allowance");
	return 0;
}
