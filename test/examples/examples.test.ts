import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run example -- <args>` the way the README says (through scripts/run-example.mjs). */
function runExample(
  args: string[],
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/run-example.mjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`example ${args.join(' ')} did not finish: ${stdout} ${stderr}`));
    }, 80_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('examples run against the emulator', () => {
  it('wait: awaits a batch prediction in a pipeline', async () => {
    const { code, stdout } = await runExample(['wait']);
    expect(code).toBe(0);
    expect(stdout).toContain('started bp-pipeline-1');
    expect(stdout).toContain('completed: 1000 records (0 invalid) in s3://analytics/predictions/2026-11-27/');
  });

  it('progress-stream: Observable, emitter and for await see the transitions', async () => {
    const { code, stdout } = await runExample(['progress-stream']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\[observable\] bp-observable: new → PENDING/);
    expect(stdout).toMatch(/\[observable\] bp-observable: INPROGRESS → COMPLETED/);
    expect(stdout).toContain('[emitter] bp-emitter is now COMPLETED');
    expect(stdout).toContain('[emitter] result: bp-emitter COMPLETED');
    expect(stdout).toMatch(/\[for await\] bp-emitter took \d+ polls/);
  });

  it('job-runner-timeout: times out with exit code 124', async () => {
    const { code, stdout } = await runExample(['job-runner-timeout', '1500']);
    expect(stdout).toMatch(/timed out: last status (PENDING|INPROGRESS) after \d+ requests/);
    expect(code).toBe(124);
  });

  it('job-runner-timeout: SIGINT cancels the wait and exits 130', async () => {
    let sent = false;
    const { code, stdout } = await runExample(['job-runner-timeout', '60000'], (text, child) => {
      if (!sent && text.includes('waiting for bp-nightly')) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 300);
      }
    });
    expect(stdout).toContain('SIGINT: cancelling the wait');
    expect(stdout).toContain('cancelled: no request is in flight and none will be sent');
    expect(code).toBe(130);
  });

  it('opentelemetry: prints the wait span under the pipeline span, its requests, events and metrics', async () => {
    const { code, stdout } = await runExample(['opentelemetry']);
    expect(code).toBe(0);
    expect(stdout).toContain('completed: 1000 records in s3://analytics/predictions/2026-12-05/');
    // The console exporters print one object per span / metric; read the spans back from that output.
    const spans = stdout
      .split(/\n(?=\{\n)/)
      .filter((block) => block.includes('instrumentationScope'))
      .map((block) => ({
        name: /\n {2}name: '([^']+)'/.exec(block)?.[1],
        id: /\n {2}id: '([0-9a-f]+)'/.exec(block)?.[1],
        parent: /parentSpanContext: \{[^}]*spanId: '([0-9a-f]+)'/.exec(block)?.[1],
        block,
      }));
    const step = spans.find((span) => span.name === 'score customers');
    const wait = spans.find((span) => span.name === 'aml-waiter.wait');
    expect(wait?.parent).toBe(step?.id);
    const polls = spans.filter((span) => span.name === 'MachineLearning.GetBatchPrediction');
    expect(polls.length).toBeGreaterThanOrEqual(2);
    for (const poll of polls) expect(poll.parent).toBe(wait?.id);
    expect(polls[0]?.block).toContain("'error.type': 'ThrottlingException'");
    expect(wait?.block).toMatch(/name: 'retry'[\s\S]*'aml_waiter.to': 'COMPLETED'/);
    for (const metric of [
      'aml_waiter.client.requests',
      'aml_waiter.client.throttles',
      'aml_waiter.wait.retries',
      'aml_waiter.wait.duration',
      'aml_waiter.wait.active',
    ]) {
      expect(stdout).toContain(`name: '${metric}'`);
    }
  }, 30_000);

  it('the runner lists the examples and rejects unknown names with exit 2', async () => {
    const { code, stderr, stdout } = await runExample(['no-such-example']);
    expect(code).toBe(2);
    expect(stderr + stdout).toContain('job-runner-timeout');
  });
});

describe('npm run demo', () => {
  it('runs the main job on the embedded emulator and exits 0 in under 30 s', async () => {
    const started = performance.now();
    const { code, stdout: coloured } = await new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (exitCode) => {
        resolve({ code: exitCode, stdout: out, stderr: err });
      });
    });
    expect(code).toBe(0);
    expect(performance.now() - started).toBeLessThan(30_000);
    // Coloured, and every colour ends on its own line: no line starts with the reset of the line before.
    const escape = '\u001b';
    expect(coloured).toMatch(new RegExp(`${escape}\\[3\\dm`));
    const reset = new RegExp(`^${escape}\\[(?:0|22|39|49)m`);
    expect(coloured.split('\n').filter((line) => reset.test(line))).toEqual([]);
    const stdout = coloured.replaceAll(new RegExp(`${escape}\\[[0-9;]*m`, 'g'), '');
    expect(stdout).toMatch(/\n {2}✔ COMPLETED {2}bp-demo-complete {2}25000 records \(12 invalid\) → s3:/);
    // Each outcome says what happened once (the id has its own column), and what each time measures.
    expect(stdout).toMatch(
      /\n {2}✘ FAILED {5}bp-demo-fail {6}DataSource ds-does-not-exist does not exist \([\d.]+ s after creation; seen after [\d.]+ s of waiting\)\n/,
    );
    expect(stdout).toMatch(
      /\n {2}✘ DELETED {4}bp-demo-delete {4}deleted while INPROGRESS \([\d.]+ s after creation; seen after [\d.]+ s of waiting\)\n/,
    );
    expect(stdout).toMatch(/bp-demo-delete PENDING → INPROGRESS/);
    // Transitions and outcomes only: no line per poll unless asked for (`-- --polls`).
    expect(stdout).not.toMatch(/poll #\d+ done/);
  }, 120_000);
});
