import type { BatchPrediction } from './BatchPrediction.js';
import type { DataSource } from './DataSource.js';
import type { Evaluation } from './Evaluation.js';
import type { MLModel } from './MLModel.js';

/** The four kinds of Amazon ML entity that go through a PENDING → COMPLETED lifecycle. */
export type ResourceKind = 'BatchPrediction' | 'DataSource' | 'MLModel' | 'Evaluation';

/** Maps each kind to its parsed resource type. */
export interface ResourceByKind {
  BatchPrediction: BatchPrediction;
  DataSource: DataSource;
  MLModel: MLModel;
  Evaluation: Evaluation;
}

/** Static facts about a kind: the names the wire protocol and the CLI use for it. */
interface ResourceKindInfo<K extends ResourceKind = ResourceKind> {
  readonly kind: K;
  /** The member holding the id, e.g. `BatchPredictionId`. */
  readonly idMember: `${K}Id`;
  /** `GetBatchPrediction`, … */
  readonly getOperation: `Get${K}`;
  /** `DescribeBatchPredictions`, … */
  readonly describeOperation: `Describe${K}s`;
  /** `DeleteBatchPrediction`, … */
  readonly deleteOperation: `Delete${K}`;
  /** `UpdateBatchPrediction`, … */
  readonly updateOperation: `Update${K}`;
  /** The kebab-case name used by the CLI (`batch-prediction`). */
  readonly slug: string;
  /** Human words for messages (`batch prediction`). */
  readonly noun: string;
}

function info<K extends ResourceKind>(kind: K, slug: string, noun: string): ResourceKindInfo<K> {
  return Object.freeze({
    kind,
    idMember: `${kind}Id` as const,
    getOperation: `Get${kind}` as const,
    describeOperation: `Describe${kind}s` as const,
    deleteOperation: `Delete${kind}` as const,
    updateOperation: `Update${kind}` as const,
    slug,
    noun,
  });
}

/** Facts about every kind, keyed by kind. */
export const resourceKinds: { readonly [K in ResourceKind]: ResourceKindInfo<K> } = Object.freeze({
  BatchPrediction: info('BatchPrediction', 'batch-prediction', 'batch prediction'),
  DataSource: info('DataSource', 'data-source', 'data source'),
  MLModel: info('MLModel', 'ml-model', 'ML model'),
  Evaluation: info('Evaluation', 'evaluation', 'evaluation'),
});

/** All kinds, in a stable order. */
export const RESOURCE_KINDS: readonly ResourceKind[] = Object.freeze([
  'BatchPrediction',
  'DataSource',
  'MLModel',
  'Evaluation',
]);

/** `true` when `value` names one of the four kinds. */
export function isResourceKind(value: unknown): value is ResourceKind {
  return typeof value === 'string' && (RESOURCE_KINDS as readonly string[]).includes(value);
}
