/** Writing an HTML report (--html FILE): the page, one clear error when it cannot be written, and a note saying where it went. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { dataError } from '../errors.js';
import { type PageContent, renderPage } from '../render/html/page.js';
import type { Output } from './output.js';

/** Adds --html FILE. */
export function addHtmlOption(cmd: Command): Command {
  return cmd.option('--html <file>', 'also write a self-contained HTML report (charts and tables) to FILE');
}

/** Writes the report; `argv` is the command line that made it. */
export function writeHtml(path: string, content: Omit<PageContent, 'argv'>, out: Output): void {
  try {
    writeFileSync(path, renderPage({ ...content, argv: process.argv.slice(2) }));
  } catch (err) {
    throw dataError(`cannot write the HTML report (${(err as NodeJS.ErrnoException).code ?? String(err)})`, path);
  }
  out.info(`wrote the report to ${path}`);
}
