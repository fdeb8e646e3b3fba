#!/usr/bin/env node
// npm links `pujiang` at install time, before anything is built: the link needs a file that
// exists then, so it points here, and this loads the built CLI.
await import('../dist/src/main.js');
