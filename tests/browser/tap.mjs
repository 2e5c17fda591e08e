// tap.mjs - "ok - ..." / "not ok - ..." lines for the browser tests (the
// shape tests/run.sh counts), evidence on "# " lines.  tap(prefix) gives
// the reporting functions, each line starting with prefix when given;
// ok, nok, check, note and step are those of tap() without a prefix.
export function tap(prefix = '') {
	const head = prefix ? `${prefix}: ` : '';
	const t = {
		failed: 0,
		ok(what) { console.log(`ok - ${head}${what}`); },
		nok(what, evidence) {
			t.failed++;
			console.log(`not ok - ${head}${what}`);
			if (evidence)
				String(evidence).split('\n').slice(0, 20).forEach((l) => console.log(`# ${l}`));
		},
		check(what, cond, evidence) { cond ? t.ok(what) : t.nok(what, evidence); },
		note(s) { console.log(`# ${s}`); },
		// A test step: an exception is a failure of that step, not of the run.
		async step(what, fn) {
			try {
				await fn();
			} catch (e) {
				t.nok(what, e && e.stack ? e.stack : e);
			}
		},
	};
	return t;
}

const plain = tap();
export const { ok, nok, check, note, step } = plain;
