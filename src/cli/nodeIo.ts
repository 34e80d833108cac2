import type { CliIo } from './CliIo.js';

/** The {@link CliIo} of the real process: its streams, `process.env`, SIGINT and `process.exit`. */
export function nodeIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt: (listener) => {
      process.on('SIGINT', listener);
      return () => {
        process.off('SIGINT', listener);
      };
    },
    exit: (code) => {
      // Show the cursor again in case the live view was cut short.
      if (process.stderr.isTTY) process.stderr.write('\x1b[?25h');
      process.exit(code);
    },
  };
}
