import type { MLModelType } from '../model/MLModel.js';

/** Input of `AmazonMLClient.createBatchPrediction`. */
export interface CreateBatchPredictionInput {
  readonly BatchPredictionId: string;
  readonly BatchPredictionName?: string | undefined;
  readonly MLModelId: string;
  readonly BatchPredictionDataSourceId: string;
  /** `s3://bucket/prefix/` where the results go. */
  readonly OutputUri: string;
}

/** The `S3DataSpec` of {@link CreateDataSourceFromS3Input}. */
export interface S3DataSpec {
  readonly DataLocationS3: string;
  readonly DataRearrangement?: string | undefined;
  readonly DataSchema?: string | undefined;
  readonly DataSchemaLocationS3?: string | undefined;
}

/** Input of `AmazonMLClient.createDataSourceFromS3`. */
export interface CreateDataSourceFromS3Input {
  readonly DataSourceId: string;
  readonly DataSourceName?: string | undefined;
  readonly DataSpec: S3DataSpec;
  readonly ComputeStatistics?: boolean | undefined;
}

/** Input of `AmazonMLClient.createMLModel`. */
export interface CreateMLModelInput {
  readonly MLModelId: string;
  readonly MLModelName?: string | undefined;
  readonly MLModelType: MLModelType;
  readonly Parameters?: Readonly<Record<string, string>> | undefined;
  readonly TrainingDataSourceId: string;
  readonly Recipe?: string | undefined;
  readonly RecipeUri?: string | undefined;
}

/** Input of `AmazonMLClient.createEvaluation`. */
export interface CreateEvaluationInput {
  readonly EvaluationId: string;
  readonly EvaluationName?: string | undefined;
  readonly MLModelId: string;
  readonly EvaluationDataSourceId: string;
}

/** The input type of each kind's `Create…` call (`createDataSourceFromS3` for data sources). */
export interface CreateInputByKind {
  BatchPrediction: CreateBatchPredictionInput;
  DataSource: CreateDataSourceFromS3Input;
  MLModel: CreateMLModelInput;
  Evaluation: CreateEvaluationInput;
}
