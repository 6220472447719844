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

// Scale scenarios (tagged @scale: tens of thousands of flows, minutes each)
// run only with `npm run scenarios:scale` (profile `scale`).
const NOT_SCALE = 'not @scale';

module.exports = {
  default: {
    ...common,
    tags: NOT_SCALE,
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
  bare: { ...common, tags: NOT_SCALE },
  // `npm run scenarios:scale`: only the @scale scenarios, with their own reports.
  scale: {
    ...common,
    paths: ['features/scale/**/*.feature'],
    tags: '@scale',
    format: [
      'progress',
      ['html', 'reports/scale/cucumber.html'],
      ['junit', 'reports/scale/junit.xml'],
      ['./src/report/offload-formatter.js', 'reports/scale/offload-report.html'],
    ],
  },
  // The @scale scenarios without report files (e.g. `--profile scale-bare features/scale/x.feature`).
  'scale-bare': { ...common, tags: '@scale' },
  // `npm run lint:features`: a dry run that fails on undefined, ambiguous or
  // pending steps and prints snippets for the undefined ones.
  lint: { ...common, dryRun: true, strict: true, format: ['summary'] },
};
