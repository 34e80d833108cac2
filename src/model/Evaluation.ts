import type { EntityStatus } from './EntityStatus.js';

/** An evaluation as `GetEvaluation` returns it (API member names; `Date` timestamps). */
export interface Evaluation {
  EvaluationId?: string;
  MLModelId?: string;
  EvaluationDataSourceId?: string;
  InputDataLocationS3?: string;
  CreatedByIamUser?: string;
  CreatedAt?: Date;
  LastUpdatedAt?: Date;
  Name?: string;
  Status?: EntityStatus | (string & {});
  PerformanceMetrics?: { Properties?: Record<string, string> };
  LogUri?: string;
  Message?: string;
  ComputeTime?: number;
  FinishedAt?: Date;
  StartedAt?: Date;
}
