// A node:test reporter that only speaks at the end: it names every test that
// did not run and why, grouped by suite, so that a skipped suite (the browser
// SDK tests without Chromium) is seen, not just counted.
export default async function* skippedReporter(source) {
  const names = new Map(); // file -> the names of the tests open at each nesting level
  const skipped = new Map(); // "suite: reason" -> tests
  for await (const { type, data } of source) {
    if (type === 'test:start') {
      const open = names.get(data.file) ?? [];
      open[data.nesting] = data.name;
      names.set(data.file, open);
    } else if ((type === 'test:pass' || type === 'test:fail') && data.skip !== undefined) {
      const suite = (names.get(data.file) ?? []).slice(0, data.nesting).join(' > ') || data.file;
      const key = `${suite}: ${data.skip === true ? 'skipped' : data.skip}`;
      skipped.set(key, [...(skipped.get(key) ?? []), data.name]);
    }
  }
  for (const [key, tests] of skipped) yield `skipped: ${key} (${tests.length} ${tests.length === 1 ? 'test' : 'tests'}: ${tests.join('; ')})\n`;
}
