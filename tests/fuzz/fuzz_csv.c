/* fuzz_csv.c - libFuzzer target: csv_parse, then the rows as JSON. */
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "csv.h"
#include "diag.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct value *v = NULL;
	diag_reset();
	if (csv_parse(&v, (const char *)data, size, "fuzz.csv") == 0) {
		struct buf b = BUF_INIT;
		value_to_json(&b, v);
		buf_free(&b);
		value_free(v);
	}
	return 0;
}
