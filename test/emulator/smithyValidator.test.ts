import { describe, expect, it } from 'vitest';
import { errorShape, outputShapeOf, validateShape } from './helpers/smithyValidator.js';

// The validator must be able to fail, or the conformance tests that rely on it prove nothing.
describe('the Smithy-model validator used by the tests', () => {
  const good = {
    BatchPredictionId: 'bp-1',
    CreatedAt: 1410560278.433,
    Status: 'COMPLETED',
    ComputeTime: 370000,
    OutputUri: 's3://bucket/out/',
    CreatedByIamUser: 'arn:aws:iam::123456789012:user/ml-user',
  };

  it('accepts a valid GetBatchPrediction output', () => {
    expect(outputShapeOf('GetBatchPrediction')).toBe(
      'com.amazonaws.machinelearning#GetBatchPredictionOutput',
    );
    expect(validateShape('GetBatchPredictionOutput', good)).toEqual([]);
  });

  it.each([
    [{ CreatedAt: '2014-09-12T22:17:58.433Z' }, '$.CreatedAt: expected epoch seconds'],
    [{ ComputeTime: 1.5 }, '$.ComputeTime: expected an integer'],
    [{ Status: 'IN_PROGRESS' }, '$.Status: "IN_PROGRESS" is not one of'],
    [{ Colour: 'red' }, '$.Colour: not a member'],
    [{ BatchPredictionId: 'x'.repeat(65) }, '$.BatchPredictionId: length 65 > 64'],
    [{ BatchPredictionId: 'bad id' }, 'does not match ^[a-zA-Z0-9_.-]+$'],
    [{ OutputUri: 'https://x' }, 'does not match ^s3://'],
    [{ CreatedByIamUser: 'arn:aws:iam::123:role/x' }, '$.CreatedByIamUser'],
  ])('rejects %j', (patch, message) => {
    const errors = validateShape('GetBatchPredictionOutput', { ...good, ...patch });
    expect(errors.join('\n')).toContain(message);
  });

  it('checks lists, maps, ranges and error shapes', () => {
    expect(validateShape('DescribeBatchPredictionsOutput', { Results: [{ Status: 'NOPE' }] })[0]).toContain(
      '$.Results[0].Status',
    );
    expect(validateShape('DescribeBatchPredictionsInput', { Limit: 101 })[0]).toContain('101 > max 100');
    expect(validateShape('GetMLModelOutput', { TrainingParameters: { a: 1 } })[0]).toContain(
      '$.TrainingParameters.a',
    );
    expect(errorShape('ResourceNotFoundException')).toEqual({
      shape: 'com.amazonaws.machinelearning#ResourceNotFoundException',
      httpError: 404,
    });
    expect(errorShape('ThrottlingException')).toBeUndefined();
    expect(
      validateShape('com.amazonaws.machinelearning#ResourceNotFoundException', {
        message: 'x',
        code: '0',
      })[0],
    ).toContain('$.code');
  });
});
