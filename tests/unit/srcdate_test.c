/* srcdate_test.c - SOURCE_DATE_EPOCH: the build time and clamped file times. */
#include "srcdate.h"
#include "unit.h"

int main(void)
{
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	unit_check(srcdate_now() == 1700000000, "the build time is SOURCE_DATE_EPOCH");
	unit_check(srcdate_clamp(1800000000) == 1700000000, "a later file time is clamped to it");
	unit_check(srcdate_clamp(1600000000) == 1600000000, "an earlier file time is kept");
	setenv("SOURCE_DATE_EPOCH", "1", 1);
	unit_check(srcdate_now() == 1700000000, "the variable is read once per run");
	return unit_done();
}
