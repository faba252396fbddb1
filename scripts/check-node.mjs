// Fails early, with the fix, when npm scripts are not running on the project's own Node (>= 22.18).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`This project needs Node.js >= 22.18, found ${process.version}. Run \`npm ci\` (it installs Node 24 into node_modules/.bin) and use npm scripts or npx.`);
  process.exit(1);
}
