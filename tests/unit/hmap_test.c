/* hmap_test.c - the string-keyed hash map: copies keys, replaces, grows. */
#include "hmap.h"
#include "unit.h"

int main(void)
{
	struct hmap m = HMAP_INIT;
	unit_check(hmap_get(&m, "x") == NULL, "an empty map finds nothing");
	char key[16] = "avain";
	int a = 1, b = 2;
	unit_check(hmap_put(&m, key, &a) == NULL, "a new key returns NULL");
	strcpy(key, "muu");
	unit_check(hmap_get(&m, "avain") == &a && hmap_get(&m, "muu") == NULL,
		   "keys are copied: changing the caller's string changes nothing");
	unit_check(hmap_put(&m, "avain", &b) == &a && hmap_get(&m, "avain") == &b && m.n == 1,
		   "putting a key again replaces its value and returns the old one");
	unit_check(hmap_put(&m, "", &a) == NULL && hmap_get(&m, "") == &a, "the empty string is a key");

	static int vals[5000];
	char k[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(k, sizeof k, "content/%d.fi.md", i);
		hmap_put(&m, k, &vals[i]);
	}
	int found = 0;
	for (int i = 0; i < 5000; i++) {
		snprintf(k, sizeof k, "content/%d.fi.md", i);
		found += hmap_get(&m, k) == &vals[i];
	}
	unit_check(found == 5000 && m.n == 5002, "5 000 keys survive the table growing");
	unit_check(hmap_get(&m, "content/5000.fi.md") == NULL, "a near miss is not found");
	hmap_free(&m);
	unit_check(m.n == 0 && m.keys == NULL && hmap_get(&m, "avain") == NULL, "hmap_free empties the map, which stays usable");
	return unit_done();
}
