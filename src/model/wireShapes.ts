/**
 * How members travel on the wire (awsJson1_1): `EpochTime` members are JSON numbers of epoch seconds
 * (a fraction allowed), `LongType` members are JSON integers. The client uses this table to parse
 * responses, the emulator to produce them. Nested shapes are listed under their member name.
 */
export const TIMESTAMP_MEMBERS: ReadonlySet<string> = new Set([
  'CreatedAt',
  'LastUpdatedAt',
  'FinishedAt',
  'StartedAt',
  'ScoreThresholdLastUpdatedAt',
]);

/** `LongType` members (JSON integers; `number` in JS, exact up to 2^53). */
export const LONG_MEMBERS: ReadonlySet<string> = new Set([
  'ComputeTime',
  'TotalRecordCount',
  'InvalidRecordCount',
  'DataSizeInBytes',
  'NumberOfFiles',
  'SizeInBytes',
]);

/** Members whose value is a nested structure that may itself hold timestamps (`EndpointInfo.CreatedAt`). */
export const NESTED_STRUCTURE_MEMBERS: ReadonlySet<string> = new Set(['EndpointInfo']);

/** The JSON protocol's `X-Amz-Target` prefix and content type. */
export const TARGET_PREFIX = 'AmazonML_20141212';
/** `Content-Type` of every request and response. */
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
/** SigV4 signing name. */
export const SIGNING_SERVICE = 'machinelearning';
/** API version. */
export const API_VERSION = '2014-12-12';
