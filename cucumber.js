// Cucumber profiles. `default` is what `npm run scenarios` and `npm test` run:
// every feature on the built-in host, with the HTML and JUnit reports.
const common = {
  requireModule: ['ts-node/register'],
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
    ],
  },
};
