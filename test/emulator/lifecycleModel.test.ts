import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator, LifecycleStep } from '../../src/emulator/index.js';
import { startEmulator, VirtualClock } from '../../src/emulator/index.js';
import { signedRequest } from './helpers/rawRequest.js';
import { outputShapeOf, validateShape } from './helpers/smithyValidator.js';

type Status = 'PENDING' | 'INPROGRESS' | 'COMPLETED' | 'FAILED' | 'DELETED';

/** The model: what a script says the status is `elapsed` ms after it started (null = not visible). */
function expected(steps: readonly LifecycleStep[], elapsed: number): Status | null {
  let at = 0;
  let current: Status | null = null;
  for (const step of steps) {
    if ('notFoundForMs' in step) {
      if (elapsed < at + step.notFoundForMs) return null;
      at += step.notFoundForMs;
      continue;
    }
    current = step.status;
    if (step.forMs === undefined || elapsed < at + step.forMs) return current;
    at += step.forMs;
  }
  return current;
}

const duration = fc.integer({ min: 0, max: 5000 });
const script: fc.Arbitrary<LifecycleStep[]> = fc
  .record({
    notFound: fc.option(duration, { nil: undefined }),
    pending: duration,
    inProgress: fc.option(duration, { nil: undefined }),
    end: fc.constantFrom('COMPLETED' as const, 'FAILED' as const),
    deletedAfter: fc.option(duration, { nil: undefined }),
  })
  .map(({ notFound, pending, inProgress, end, deletedAfter }) => {
    const steps: LifecycleStep[] = [];
    if (notFound !== undefined) steps.push({ notFoundForMs: notFound });
    steps.push({ status: 'PENDING', forMs: pending });
    if (inProgress !== undefined) steps.push({ status: 'INPROGRESS', forMs: inProgress });
    if (deletedAfter === undefined)
      steps.push({ status: end, message: end === 'FAILED' ? 'scripted failure' : undefined });
    else steps.push({ status: end, forMs: deletedAfter }, { status: 'DELETED' });
    return steps;
  });

describe('lifecycle model: status and status-dependent members follow the script at every instant', () => {
  let emu: Emulator;
  const clock = new VirtualClock({ startWallMs: Date.UTC(2026, 0, 1) });
  beforeAll(async () => {
    emu = await startEmulator({ clock });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('matches the model', async () => {
    await fc.assert(
      fc.asyncProperty(
        script,
        fc.array(
          fc.oneof(
            fc.record({ advance: fc.integer({ min: 0, max: 4000 }) }),
            fc.constant({ action: 'rescript' as const }),
            fc.constant({ action: 'delete' as const }),
          ),
          { maxLength: 12 },
        ),
        async (steps, actions) => {
          emu.reset();
          emu.put(
            'BatchPrediction',
            { BatchPredictionId: 'bp', MLModelId: 'ml', TotalRecordCount: 7 },
            steps,
          );
          let elapsed = 0;
          let deleted = false;
          let lastBeforeDelete: Status | null = null;
          for (const action of actions) {
            if ('advance' in action) {
              clock.advance(action.advance);
              elapsed += action.advance;
            } else if (action.action === 'rescript') {
              emu.script('BatchPrediction', 'bp', steps); // restarts the lifecycle now, undoing a Delete
              elapsed = 0;
              deleted = false;
            } else {
              const res = await signedRequest(emu, 'DeleteBatchPrediction', { BatchPredictionId: 'bp' });
              const visible = expected(steps, elapsed) !== null || deleted;
              expect(res.status).toBe(visible ? 200 : 404);
              if (visible && !deleted) {
                lastBeforeDelete = expected(steps, elapsed);
                deleted = true;
              }
            }
            const view = emu.get('BatchPrediction', 'bp');
            const want = deleted ? 'DELETED' : expected(steps, elapsed);
            expect(view?.Status ?? null).toBe(want);
            if (view === undefined) continue;
            expect(validateShape(outputShapeOf('GetBatchPrediction'), view)).toEqual([]);
            // Reference §10.2 rules; a DELETED resource shows the body of its last state.
            const shown = deleted ? lastBeforeDelete : (view.Status as Status);
            if (shown === 'PENDING') expect(view.StartedAt).toBeUndefined();
            if (shown === 'PENDING' || shown === 'INPROGRESS') {
              expect(view.FinishedAt).toBeUndefined();
              expect(view.ComputeTime).toBeUndefined();
              expect(view.TotalRecordCount).toBeUndefined();
            }
            if (shown === 'COMPLETED') expect(view).toMatchObject({ Message: '', TotalRecordCount: 7 });
            if (shown === 'FAILED') {
              expect(view.ComputeTime).toBeUndefined();
              expect(typeof view.FinishedAt).toBe('number');
            }
            expect(view.LastUpdatedAt as number).toBeGreaterThanOrEqual(view.CreatedAt as number);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
