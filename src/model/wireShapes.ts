import type { ResourceKind } from './ResourceKind.js';

/**
 * How one member travels on the wire (awsJson1_1): `timestamp` members are JSON numbers of epoch
 * seconds (a fraction allowed) and `Date`s in JS; `long` members are JSON integers (`number` in JS,
 * exact up to 2^53); `number` is any JSON number; `stringMap` a map of strings; an object a nested
 * structure.
 */
export type MemberType = 'string' | 'timestamp' | 'long' | 'number' | 'boolean' | 'stringMap' | Shape;

/** A structure: member name → type, in the API model's member order. */
export interface Shape {
  readonly [member: string]: MemberType;
}

/**
 * The four resources as the API model describes them (`machine-learning-2014-12-12`): the members of
 * `Get<Kind>Output` merged with those of the `Describe<Kind>s` result element, in the model's order.
 * The client parses answers with it; the emulator renders them with it (member order, timestamps, longs).
 */
export const RESOURCE_SHAPES: Readonly<Record<ResourceKind, Shape>> = Object.freeze({
  BatchPrediction: {
    BatchPredictionId: 'string',
    MLModelId: 'string',
    BatchPredictionDataSourceId: 'string',
    InputDataLocationS3: 'string',
    CreatedByIamUser: 'string',
    CreatedAt: 'timestamp',
    LastUpdatedAt: 'timestamp',
    Name: 'string',
    Status: 'string',
    OutputUri: 'string',
    LogUri: 'string',
    Message: 'string',
    ComputeTime: 'long',
    FinishedAt: 'timestamp',
    StartedAt: 'timestamp',
    TotalRecordCount: 'long',
    InvalidRecordCount: 'long',
  },
  DataSource: {
    DataSourceId: 'string',
    DataLocationS3: 'string',
    DataRearrangement: 'string',
    CreatedByIamUser: 'string',
    CreatedAt: 'timestamp',
    LastUpdatedAt: 'timestamp',
    DataSizeInBytes: 'long',
    NumberOfFiles: 'long',
    Name: 'string',
    Status: 'string',
    LogUri: 'string',
    Message: 'string',
    RedshiftMetadata: {
      RedshiftDatabase: { DatabaseName: 'string', ClusterIdentifier: 'string' },
      DatabaseUserName: 'string',
      SelectSqlQuery: 'string',
    },
    RDSMetadata: {
      Database: { InstanceIdentifier: 'string', DatabaseName: 'string' },
      DatabaseUserName: 'string',
      SelectSqlQuery: 'string',
      ResourceRole: 'string',
      ServiceRole: 'string',
      DataPipelineId: 'string',
    },
    RoleARN: 'string',
    ComputeStatistics: 'boolean',
    ComputeTime: 'long',
    FinishedAt: 'timestamp',
    StartedAt: 'timestamp',
    DataSourceSchema: 'string',
  },
  MLModel: {
    MLModelId: 'string',
    TrainingDataSourceId: 'string',
    CreatedByIamUser: 'string',
    CreatedAt: 'timestamp',
    LastUpdatedAt: 'timestamp',
    Name: 'string',
    Status: 'string',
    SizeInBytes: 'long',
    EndpointInfo: {
      PeakRequestsPerSecond: 'number',
      CreatedAt: 'timestamp',
      EndpointUrl: 'string',
      EndpointStatus: 'string',
    },
    TrainingParameters: 'stringMap',
    InputDataLocationS3: 'string',
    Algorithm: 'string',
    MLModelType: 'string',
    ScoreThreshold: 'number',
    ScoreThresholdLastUpdatedAt: 'timestamp',
    LogUri: 'string',
    Message: 'string',
    ComputeTime: 'long',
    FinishedAt: 'timestamp',
    StartedAt: 'timestamp',
    Recipe: 'string',
    Schema: 'string',
  },
  Evaluation: {
    EvaluationId: 'string',
    MLModelId: 'string',
    EvaluationDataSourceId: 'string',
    InputDataLocationS3: 'string',
    CreatedByIamUser: 'string',
    CreatedAt: 'timestamp',
    LastUpdatedAt: 'timestamp',
    Name: 'string',
    Status: 'string',
    PerformanceMetrics: { Properties: 'stringMap' },
    LogUri: 'string',
    Message: 'string',
    ComputeTime: 'long',
    FinishedAt: 'timestamp',
    StartedAt: 'timestamp',
  },
});

/** The names of the members of any resource (at any depth) whose type is `wanted`. */
function membersOfType(wanted: MemberType): ReadonlySet<string> {
  const names = new Set<string>();
  const visit = (shape: Shape): void => {
    for (const [member, type] of Object.entries(shape)) {
      if (type === wanted) names.add(member);
      else if (typeof type === 'object') visit(type);
    }
  };
  for (const shape of Object.values(RESOURCE_SHAPES)) visit(shape);
  return names;
}

/** Names of the `timestamp` members of any resource, at any depth (`CreatedAt`, `EndpointInfo.CreatedAt`). */
export const TIMESTAMP_MEMBERS: ReadonlySet<string> = membersOfType('timestamp');

/** Names of the `long` members of any resource (JSON integers; `number` in JS, exact up to 2^53). */
export const LONG_MEMBERS: ReadonlySet<string> = membersOfType('long');

/** The JSON protocol's `X-Amz-Target` prefix. */
export const TARGET_PREFIX = 'AmazonML_20141212';
/** `Content-Type` of every request and response. */
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
/** SigV4 signing name. */
export const SIGNING_SERVICE = 'machinelearning';
