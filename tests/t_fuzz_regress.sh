#!/bin/sh
# t_fuzz_regress.sh - replays every input of tests/fuzz/regress/NAME/ (the
# crashes the fuzzers found, kept) and the seed corpus tests/fuzz/corpus/NAME/
# through the fuzz target NAME, built here with tests/fuzz/driver.c instead
# of libFuzzer, against the ASan + UBSan objects.  Runs in the ASan pass.
. "$(dirname "$0")/lib.sh"

case "$TOIVO" in
*asan*) ;;
*)
	echo "ok - # SKIP fuzz regressions are replayed in the ASan pass"
	exit 0
	;;
esac
cd "$ROOT" || exit 1
OBJS=$(ls build/asan/generator/*.o build/asan/publish/*.o 2>/dev/null | grep -v '/main\.o$')
if [ -z "$OBJS" ] || [ ! -f build/asan/embed.o ]; then
	nok "the ASan objects are built (make build/toivo-asan)"
	exit 0
fi
CFLAGS="-std=c17 -D_GNU_SOURCE -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
PKGS="libcmark-gfm lua5.4 libgit2 yaml-0.1 libmicrohttpd jansson libvoikko"
for name in page template csv yaml; do
	bin=$T/fuzz_$name
	# shellcheck disable=SC2086
	if ! ${CC:-cc} $CFLAGS -Wall -Wextra -Werror $(pkg-config --cflags $PKGS) -Igenerator -Ipublish \
		-o "$bin" "tests/fuzz/fuzz_$name.c" tests/fuzz/driver.c $OBJS build/asan/embed.o \
		$(pkg-config --libs $PKGS) -lcmark-gfm-extensions -lstemmer -lpthread -lm > "$T/cc" 2>&1; then
		nok "fuzz_$name builds with the driver" "$(head -30 "$T/cc")"
		continue
	fi
	for set in regress corpus; do
		dir=tests/fuzz/$set/$name
		n=$(find "$dir" -type f ! -name 'README*' 2>/dev/null | wc -l)
		if [ "$n" = 0 ]; then
			ok "fuzz_$name: no $set inputs"
			continue
		fi
		# One process for the whole folder: the inputs one after another.
		find "$dir" -type f ! -name 'README*' | LC_ALL=C sort > "$T/list"
		# shellcheck disable=SC2046
		timeout 300 "$bin" $(cat "$T/list") > "$T/run.out" 2> "$T/run.err"
		rc=$?
		if [ "$rc" = 0 ]; then
			ok "fuzz_$name: $n $set inputs replay cleanly"
		else
			nok "fuzz_$name: $n $set inputs replay cleanly" "exit $rc; last input: $(grep '^driver: ' "$T/run.err" | tail -1); $(grep -A15 'ERROR\|runtime error' "$T/run.err" | head -30)"
		fi
	done
done
