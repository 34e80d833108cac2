import type { EntityStatus } from './EntityStatus.js';

/**
 * A batch prediction as `GetBatchPrediction` returns it, with the API's member names. Timestamps are
 * `Date`s, longs are `number`s. Every member is optional on the wire; `Status` may be a value newer
 * than this library knows, hence `EntityStatus | (string & {})`.
 */
export interface BatchPrediction {
  BatchPredictionId?: string;
  MLModelId?: string;
  BatchPredictionDataSourceId?: string;
  InputDataLocationS3?: string;
  CreatedByIamUser?: string;
  CreatedAt?: Date;
  LastUpdatedAt?: Date;
  Name?: string;
  Status?: EntityStatus | (string & {});
  OutputUri?: string;
  /** A presigned link to the job's log (Get only; `Describe…` omits it). */
  LogUri?: string;
  /** The most recent processing details; the failure reason when `FAILED`. */
  Message?: string;
  /** Approximate CPU milliseconds; only when `COMPLETED`. */
  ComputeTime?: number;
  /** Only when `COMPLETED` or `FAILED`. */
  FinishedAt?: Date;
  /** Absent while `PENDING`. */
  StartedAt?: Date;
  TotalRecordCount?: number;
  InvalidRecordCount?: number;
}
