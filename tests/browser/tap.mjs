// tap.mjs - the result lines of the browser tests (browser.mjs, form.mjs):
// "ok - ..." / "not ok - ..." with the evidence on "# " lines, which
// tests/run.sh counts.
export function ok(what) { console.log(`ok - ${what}`); }
export function nok(what, evidence) {
	console.log(`not ok - ${what}`);
	if (evidence)
		String(evidence).split('\n').slice(0, 20).forEach((l) => console.log(`# ${l}`));
}
export function check(what, cond, evidence) { cond ? ok(what) : nok(what, evidence); }
export function note(s) { console.log(`# ${s}`); }

// A test step: an exception is a failure of that step, not of the run.
export async function step(what, fn) {
	try {
		await fn();
	} catch (e) {
		nok(what, e && e.stack ? e.stack : e);
	}
}
