#!/usr/bin/env node
import { exitCleanlyOnOutputErrors } from '../dist/cli/pipes.js';
import { main } from '../dist/cli/main.js';

exitCleanlyOnOutputErrors();
main(process.argv).then((code) => {
  process.exitCode = code;
});
