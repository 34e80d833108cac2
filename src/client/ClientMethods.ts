import type { DescribeInput, DescribeOutput } from '../model/Describe.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import type { GetOptions, RequestOptions } from './AmazonMLClientConfig.js';
import type { CreateInputByKind } from './CreateInput.js';

/** `{ BatchPredictionId: string }`, …: what a Create, Update or Delete call answers. */
type IdOutput<K extends ResourceKind> = Readonly<Record<`${K}Id`, string>>;

/** The per-call options of `get<Kind>`: `verbose` exists for data sources and ML models only. */
type GetOptionsOf<K extends ResourceKind> = K extends 'DataSource' | 'MLModel' ? GetOptions : RequestOptions;

/** The name of a kind's Create call (data sources are created from S3). */
type CreateMethodName<K extends ResourceKind> = K extends 'DataSource'
  ? 'createDataSourceFromS3'
  : `create${K}`;

/** `getBatchPrediction(id, options?)`, …: `Get<Kind>` (`verbose: true` adds the schema of data sources and ML models). */
type GetMethods = {
  [K in ResourceKind as `get${K}`]: (id: string, options?: GetOptionsOf<K>) => Promise<ResourceByKind[K]>;
};

/** `describeBatchPredictions(input?, options?)`, …: one page of `Describe<Kind>s`. */
type DescribeMethods = {
  [K in ResourceKind as `describe${K}s`]: (
    input?: DescribeInput<K>,
    options?: RequestOptions,
  ) => Promise<DescribeOutput<K>>;
};

/** `paginateBatchPredictions(input?, options?)`, …: every resource matching `input`, across pages. */
type PaginateMethods = {
  [K in ResourceKind as `paginate${K}s`]: (
    input?: DescribeInput<K>,
    options?: RequestOptions,
  ) => AsyncIterableIterator<ResourceByKind[K]>;
};

/** `createBatchPrediction(input, options?)`, `createDataSourceFromS3`, `createMLModel`, `createEvaluation`. */
type CreateMethods = {
  [K in ResourceKind as CreateMethodName<K>]: (
    input: CreateInputByKind[K],
    options?: RequestOptions,
  ) => Promise<IdOutput<K>>;
};

/** `deleteBatchPrediction(id, options?)`, …: marks the resource `DELETED` (irreversible; `Get…` still returns it). */
type DeleteMethods = {
  [K in ResourceKind as `delete${K}`]: (id: string, options?: RequestOptions) => Promise<IdOutput<K>>;
};

/**
 * The client's per-operation methods, installed from its operation table: one per API operation, named
 * after it, for each of the four kinds.
 */
export interface ClientMethods
  extends GetMethods, DescribeMethods, PaginateMethods, CreateMethods, DeleteMethods {
  /** `UpdateBatchPrediction`: renames a batch prediction. */
  updateBatchPrediction: (
    id: string,
    name: string,
    options?: RequestOptions,
  ) => Promise<IdOutput<'BatchPrediction'>>;
}
