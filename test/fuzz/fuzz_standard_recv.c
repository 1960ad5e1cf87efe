/*
 * fuzz_standard_recv.c — the binary input of cx.standard
 * (cxstd_decode_binary, as cx_standard_recv runs it).  Accepted message: a
 * standard that validates, encodes back to the message and survives the
 * text round trip.
 */
#include "fuzz.h"
#include "standard_core.h"

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	CxstdStandard std,
				back;
	uint8_t		bin[CXSTD_BINARY_SIZE];
	char		buf[64];
	size_t		n;
	int			version = -1;
	cxstd_bin_status st = cxstd_decode_binary(data, size, &std, &version);

	if (st != CXSTD_BIN_OK)
	{
		FZ_CHECK(st == CXSTD_BIN_LENGTH ? size != CXSTD_BINARY_SIZE :
				 st == CXSTD_BIN_VERSION ? version == data[0] && version != CXSTD_BINARY_VERSION :
				 cxstd_validate(&std) != CXSTD_OK, "wrong reason for a rejection");
		return 0;
	}
	FZ_CHECK(cxstd_validate(&std) == CXSTD_OK, "accepted message fails validation");
	cxstd_encode_binary(&std, bin);
	FZ_CHECK(size == sizeof(bin) && memcmp(bin, data, size) == 0, "binary round trip changed the message");
	n = cxstd_format(&std, buf, sizeof(buf));
	FZ_CHECK(n < sizeof(buf), "format length");
	FZ_CHECK(cxstd_parse(buf, n, &back, NULL) == CXSTD_OK, "own text form rejected");
	FZ_CHECK(memcmp(&back, &std, sizeof(std)) == 0, "text round trip changed the standard");
	return 0;
}
