import type { EntityStatus } from './EntityStatus.js';

/** Redshift origin of a data source (`RedshiftMetadata`). */
export interface RedshiftMetadata {
  RedshiftDatabase?: { DatabaseName: string; ClusterIdentifier: string };
  DatabaseUserName?: string;
  SelectSqlQuery?: string;
}

/** RDS origin of a data source (`RDSMetadata`). */
export interface RDSMetadata {
  Database?: { InstanceIdentifier: string; DatabaseName: string };
  DatabaseUserName?: string;
  SelectSqlQuery?: string;
  ResourceRole?: string;
  ServiceRole?: string;
  DataPipelineId?: string;
}

/** A data source as `GetDataSource` returns it (API member names; `Date` timestamps). */
export interface DataSource {
  DataSourceId?: string;
  DataLocationS3?: string;
  DataRearrangement?: string;
  CreatedByIamUser?: string;
  CreatedAt?: Date;
  LastUpdatedAt?: Date;
  DataSizeInBytes?: number;
  NumberOfFiles?: number;
  Name?: string;
  Status?: EntityStatus | (string & {});
  LogUri?: string;
  Message?: string;
  RedshiftMetadata?: RedshiftMetadata;
  RDSMetadata?: RDSMetadata;
  RoleARN?: string;
  ComputeStatistics?: boolean;
  ComputeTime?: number;
  FinishedAt?: Date;
  StartedAt?: Date;
  /** Only with `Verbose: true`. */
  DataSourceSchema?: string;
}
