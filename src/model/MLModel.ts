import type { EntityStatus } from './EntityStatus.js';

/** `REGRESSION`, `BINARY` or `MULTICLASS`. */
export type MLModelType = 'REGRESSION' | 'BINARY' | 'MULTICLASS';

/** The real-time endpoint attached to a model (`RealtimeEndpointInfo`). */
export interface RealtimeEndpointInfo {
  PeakRequestsPerSecond?: number;
  CreatedAt?: Date;
  EndpointUrl?: string;
  EndpointStatus?: 'NONE' | 'READY' | 'UPDATING' | 'FAILED' | (string & {});
}

/** An ML model as `GetMLModel` returns it (API member names; `Date` timestamps). */
export interface MLModel {
  MLModelId?: string;
  TrainingDataSourceId?: string;
  CreatedByIamUser?: string;
  CreatedAt?: Date;
  LastUpdatedAt?: Date;
  Name?: string;
  Status?: EntityStatus | (string & {});
  SizeInBytes?: number;
  EndpointInfo?: RealtimeEndpointInfo;
  TrainingParameters?: Record<string, string>;
  InputDataLocationS3?: string;
  /** Only in `DescribeMLModels` results. */
  Algorithm?: 'sgd' | (string & {});
  MLModelType?: MLModelType | (string & {});
  ScoreThreshold?: number;
  ScoreThresholdLastUpdatedAt?: Date;
  LogUri?: string;
  Message?: string;
  ComputeTime?: number;
  FinishedAt?: Date;
  StartedAt?: Date;
  /** Only with `Verbose: true`. */
  Recipe?: string;
  /** Only with `Verbose: true`. */
  Schema?: string;
}
