import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('a fleet test file whose set-up fails', () => {
  it('reports the set-up error once, with no second error from its clean-up', () => {
    // A redis-server that answers --version (so the global set-up finds it) but never starts.
    const bin = mkdtempSync(join(tmpdir(), 'aml-broken-redis-'));
    const fake = join(bin, 'redis-server');
    writeFileSync(
      fake,
      '#!/bin/sh\n[ "$1" = "--version" ] && { echo "Redis server v=0.0.0"; exit 0; }\necho "will not start" >&2\nexit 1\n',
    );
    chmodSync(fake, 0o755);
    const result = spawnSync(
      process.execPath,
      [
        join(repositoryRoot, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        'test/bullmq/failover.test.ts',
        '--typecheck.enabled=false',
        '--coverage.enabled=false',
      ],
      {
        cwd: repositoryRoot,
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
          NO_COLOR: '1',
          CI: '1',
          AML_COVERAGE: '',
        },
        timeout: 120_000,
      },
    );
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status, output).toBe(1);
    expect(output).toContain('redis-server did not start on 127.0.0.1:');
    expect(output.match(/^(Error|TypeError|\w+Error): /gm), output).toEqual(['Error: ']);
    expect(output).not.toContain('Cannot read properties of undefined');
  }, 120_000);
});
