// Cucumber imports formatters with import(), which cannot load TypeScript:
// this shim makes sure ts-node is registered, then hands over the plugin.
if (!require.extensions['.ts']) {
  require('ts-node').register({ transpileOnly: true, project: require('path').join(__dirname, '..', '..', 'tsconfig.json') });
}
module.exports = require('./offload-formatter.ts').offloadReportFormatter;
