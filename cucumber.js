// Cucumber profiles. `default` is what `npm run scenarios` and `npm test` run:
// every feature on the built-in host, with the HTML and JUnit reports.
const common = {
  // TypeScript through a transpile-only require hook with an on-disk cache
  // (type checking is `tsc --noEmit` in npm test): a cold start loads
  // JavaScript instead of compiling every file again.
  requireModule: [require.resolve('./src/cli/ts-register-cached.js')],
  require: ['steps/**/*.ts'],
  formatOptions: { junit: { suiteName: 'offload-spec' }, snippetInterface: 'synchronous' },
};

module.exports = {
  default: {
    ...common,
    format: [
      'progress',
      ['html', 'reports/cucumber.html'],
      ['junit', 'reports/junit.xml'],
      ['message', 'reports/messages.ndjson'],
      // our own report; also writes reports/hop-coverage.json and reports/traces/
      ['./src/report/offload-formatter.js', 'reports/offload-report.html'],
    ],
  },
  // No report files: for tests that run cucumber and choose their own outputs.
  bare: { ...common },
  // `npm run lint:features`: a dry run that fails on undefined, ambiguous or
  // pending steps and prints snippets for the undefined ones.
  lint: { ...common, dryRun: true, strict: true, format: ['summary'] },
};
