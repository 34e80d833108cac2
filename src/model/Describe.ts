import type { ResourceByKind, ResourceKind } from './ResourceKind.js';

/** `FilterVariable` values accepted by `DescribeBatchPredictions` and `DescribeEvaluations`. */
export type BatchPredictionFilterVariable =
  'CreatedAt' | 'LastUpdatedAt' | 'Status' | 'Name' | 'IAMUser' | 'MLModelId' | 'DataSourceId' | 'DataURI';

/** `FilterVariable` values accepted by `DescribeEvaluations`. */
export type EvaluationFilterVariable = BatchPredictionFilterVariable;

/** `FilterVariable` values accepted by `DescribeDataSources`. */
export type DataSourceFilterVariable =
  'CreatedAt' | 'LastUpdatedAt' | 'Status' | 'Name' | 'DataLocationS3' | 'IAMUser';

/** `FilterVariable` values accepted by `DescribeMLModels`. */
export type MLModelFilterVariable =
  | 'CreatedAt'
  | 'LastUpdatedAt'
  | 'Status'
  | 'Name'
  | 'IAMUser'
  | 'TrainingDataSourceId'
  | 'RealtimeEndpointStatus'
  | 'MLModelType'
  | 'Algorithm'
  | 'TrainingDataURI';

/** Maps each kind to the `FilterVariable` values its `Describe…` operation accepts. */
interface FilterVariableByKind {
  BatchPrediction: BatchPredictionFilterVariable;
  DataSource: DataSourceFilterVariable;
  MLModel: MLModelFilterVariable;
  Evaluation: EvaluationFilterVariable;
}

/** Batch predictions and evaluations filter on the same variables. */
const BATCH_PREDICTION_FILTERS: readonly BatchPredictionFilterVariable[] = [
  'CreatedAt',
  'LastUpdatedAt',
  'Status',
  'Name',
  'IAMUser',
  'MLModelId',
  'DataSourceId',
  'DataURI',
];

/** Every `FilterVariable` each `Describe…` operation accepts, for validation. */
export const FILTER_VARIABLES: { readonly [K in ResourceKind]: readonly FilterVariableByKind[K][] } =
  Object.freeze({
    BatchPrediction: BATCH_PREDICTION_FILTERS,
    DataSource: ['CreatedAt', 'LastUpdatedAt', 'Status', 'Name', 'DataLocationS3', 'IAMUser'],
    MLModel: [
      'CreatedAt',
      'LastUpdatedAt',
      'Status',
      'Name',
      'IAMUser',
      'TrainingDataSourceId',
      'RealtimeEndpointStatus',
      'MLModelType',
      'Algorithm',
      'TrainingDataURI',
    ],
    Evaluation: BATCH_PREDICTION_FILTERS,
  });

/** The comparison members of a `Describe…` request; each value is a string of at most 1024 characters. */
export const COMPARATORS = Object.freeze(['EQ', 'GT', 'LT', 'GE', 'LE', 'NE', 'Prefix'] as const);

/** Input of `DescribeBatchPredictions` / `DescribeDataSources` / `DescribeMLModels` / `DescribeEvaluations`. */
export interface DescribeInput<K extends ResourceKind = ResourceKind> {
  FilterVariable?: FilterVariableByKind[K];
  EQ?: string;
  GT?: string;
  LT?: string;
  GE?: string;
  LE?: string;
  NE?: string;
  Prefix?: string;
  /** `asc` or `dsc`, ordering by `FilterVariable`. */
  SortOrder?: 'asc' | 'dsc';
  NextToken?: string;
  /** Page size, 1–100 (the service's default is 100). */
  Limit?: number;
}

/** Output of a `Describe…` operation: one page. */
export interface DescribeOutput<K extends ResourceKind = ResourceKind> {
  Results: ResourceByKind[K][];
  /** Present when at least one more page follows. */
  NextToken?: string;
}
