#!/usr/bin/env node
// The switchyard command. Switchyard is TypeScript run by Node's type stripping: it needs Node >= 22.18.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `switchyard needs Node.js 22.18 or newer (this is ${process.version}).\n` +
      'Run it through npm, which uses the Node 24 that `npm ci` installed: `npx switchyard …` or `npm start`.\n',
  );
  process.exit(1);
}
const { main } = await import('../compiler/cli/main.ts');
await main(process.argv);
