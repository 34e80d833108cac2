import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { send, signedRequest } from './helpers/rawRequest.js';
import { errorShape, outputShapeOf, validateShape } from './helpers/smithyValidator.js';

/** Writes bytes, half-closes, and returns what came back before the server closed the socket. */
function rawExchange(emu: Emulator, payload: Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(emu.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.end(payload);
  });
}

/** Every HTTP response in `text` (keep-alive may carry several) must have a JSON body naming an error type. */
function assertJsonResponses(text: string): void {
  let rest = text;
  while (rest.length > 0) {
    expect(rest).toMatch(/^HTTP\/1\.1 \d{3} /);
    const headEnd = rest.indexOf('\r\n\r\n');
    expect(headEnd).toBeGreaterThan(0);
    const head = rest.slice(0, headEnd);
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
    expect(Number.isInteger(length)).toBe(true);
    const body = rest.slice(headEnd + 4, headEnd + 4 + length);
    const status = Number(head.slice(9, 12));
    const parsed = JSON.parse(body) as Record<string, unknown>;
    if (status >= 400) {
      expect(typeof parsed.__type).toBe('string');
      expect(typeof parsed.message).toBe('string');
    }
    rest = rest.slice(headEnd + 4 + length);
  }
}

async function stillServing(emu: Emulator): Promise<void> {
  const res = await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: 'bp-1' });
  expect(res.status).toBe(200);
}

const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$/);
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,40}$/).map((s) => s.trim());

describe('fuzzing: the emulator keeps serving and always answers a JSON error', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ maxBodyBytes: 4096, headersTimeoutMs: 500, requestTimeoutMs: 1000 });
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('random bytes on a raw socket', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 300 }),
          fc
            .string({ maxLength: 200 })
            .map((s) => new TextEncoder().encode(`POST / HTTP/1.1\r\n${s}\r\n\r\n`)),
        ),
        async (bytes) => {
          assertJsonResponses(await rawExchange(emu, bytes));
        },
      ),
      { numRuns: 60 },
    );
    await stillServing(emu);
  });

  it('random methods, paths, headers and bodies over HTTP', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.constantFrom('/', '/x', '/__control/health', '/?a=b', '//'),
        fc.dictionary(
          token.filter(
            (k) =>
              ![
                'content-length',
                'transfer-encoding',
                'host',
                'connection',
                'keep-alive',
                'upgrade',
                'expect',
              ].includes(k.toLowerCase()),
          ),
          headerValue,
          { maxKeys: 6 },
        ),
        fc.option(
          fc.oneof(
            fc.string({ maxLength: 300 }),
            fc.json(),
            fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
          ),
          { nil: undefined },
        ),
        async (method, path, headers, body) => {
          const res = await send(emu.endpoint, method, path, headers, method === 'GET' ? undefined : body);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(typeof res.json?.__type).toBe('string');
          expect(typeof res.json?.message).toBe('string');
        },
      ),
      { numRuns: 80 },
    );
    await stillServing(emu);
  });

  it('random JSON inputs to every operation, correctly signed: 200 or a 4xx JSON error, never a 5xx', async () => {
    const operations = [
      'GetBatchPrediction',
      'GetDataSource',
      'GetMLModel',
      'GetEvaluation',
      'DescribeBatchPredictions',
      'DescribeDataSources',
      'DescribeMLModels',
      'DescribeEvaluations',
      'CreateBatchPrediction',
      'CreateDataSourceFromS3',
      'CreateMLModel',
      'CreateEvaluation',
      'UpdateBatchPrediction',
      'UpdateDataSource',
      'UpdateMLModel',
      'UpdateEvaluation',
      'DeleteBatchPrediction',
      'DeleteDataSource',
      'DeleteMLModel',
      'DeleteEvaluation',
    ];
    const member = fc.constantFrom(
      'BatchPredictionId',
      'DataSourceId',
      'MLModelId',
      'EvaluationId',
      'MLModelType',
      'FilterVariable',
      'EQ',
      'Limit',
      'NextToken',
      'SortOrder',
      'DataSpec',
      'OutputUri',
      'BatchPredictionDataSourceId',
      'TrainingDataSourceId',
      'EvaluationDataSourceId',
      'Verbose',
      'ScoreThreshold',
      'Parameters',
      'BatchPredictionName',
    );
    const value = fc.oneof(
      fc.constantFrom('bp-1', 'ml-1', 'ds-1', 's3://b/k', 'BINARY', 'Name', 'asc', 5, true, null),
      fc.jsonValue({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.dictionary(member, value, { maxKeys: 6 }),
        async (operation, input) => {
          const res = await signedRequest(emu, operation, input);
          expect(res.json, res.text).toBeDefined();
          if (res.status === 200) {
            expect(validateShape(outputShapeOf(operation), res.json)).toEqual([]);
          } else {
            expect(res.status).toBeGreaterThanOrEqual(400);
            expect(res.status).toBeLessThan(500);
            const { __type: type, ...members } = res.json!;
            expect(res.headers['x-amzn-errortype']).toBe(type);
            // Modeled errors: the body's members and the status match the model's error shape.
            const modeled = errorShape(type as string);
            if (modeled !== undefined) {
              expect(validateShape(modeled.shape, members)).toEqual([]);
              expect(res.status).toBe(modeled.httpError ?? 400);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
    await stillServing(emu);
  });
});
