/* fuzz_yaml.c - libFuzzer target: the YAML / JSON loader (yamldoc_parse),
 * then the tree written back as JSON and text. */
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "value.h"
#include "yamldoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct value *v = NULL;
	diag_reset();
	if (yamldoc_parse(&v, (const char *)data, size, "fuzz.yaml", 0) == 0) {
		struct buf b = BUF_INIT;
		value_to_json(&b, v);
		value_to_text(&b, v);
		struct value *c = value_copy(v);
		value_free(c);
		buf_free(&b);
		value_free(v);
	}
	return 0;
}
