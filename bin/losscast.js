#!/usr/bin/env node
import { exitQuietlyOnClosedPipe } from '../dist/cli/pipes.js';
import { main } from '../dist/cli/main.js';

exitQuietlyOnClosedPipe();
main(process.argv).then((code) => {
  process.exitCode = code;
});
