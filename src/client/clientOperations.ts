import { describeValue } from '../model/describeValue.js';
import type { DescribeOutput } from '../model/Describe.js';
import { RESOURCE_KINDS, isResourceKind, resourceKinds, type ResourceKind } from '../model/ResourceKind.js';
import type { GetOptions } from './AmazonMLClientConfig.js';
import { serializeDescribeInput } from './describeInput.js';
import {
  entityId,
  entityName,
  oneOf,
  optional,
  optionalBoolean,
  s3Url,
  stringMap,
  structure,
  text,
  type FieldCheck,
} from './fieldChecks.js';
import { parseResource } from './parseResource.js';
import {
  assertEntityId,
  assertEntityName,
  assertOptionalBoolean,
  assertRequestOptions,
  isPlainObject,
} from './validate.js';

/**
 * One row of the client's operation table: the public method it drives, the wire operation, the kind,
 * how the method's arguments are checked and serialised, and how the answer is parsed.
 * @internal
 */
export interface ClientOperation {
  /** The public method (`getBatchPrediction`). */
  readonly method: string;
  /** The wire operation (`GetBatchPrediction`). */
  readonly operation: string;
  readonly kind: ResourceKind;
  /** Arguments before the per-call options: 1 (an id or an input), 2 (`updateBatchPrediction(id, name)`). */
  readonly arity: 1 | 2;
  /**
   * Checks the arguments, then the options, and returns the JSON body.
   * @throws {TypeError | RangeError} naming the bad field, before any request.
   */
  readonly serialize: (args: readonly unknown[], options: unknown) => string;
  /** Reads a 2xx answer (`args` are the checked arguments, for an answer that omits the id). */
  readonly parse: (json: Record<string, unknown>, args: readonly unknown[]) => unknown;
}

/** `Get<Kind>`: the id; `verbose` for data sources and ML models. */
function getRow(kind: ResourceKind): ClientOperation {
  const info = resourceKinds[kind];
  const verboseAllowed = kind === 'DataSource' || kind === 'MLModel';
  const prefix = `{"${info.idMember}":"`;
  return {
    method: `get${kind}`,
    operation: info.getOperation,
    kind,
    arity: 1,
    serialize([id], options) {
      assertEntityId(id, 'id');
      assertRequestOptions(options);
      const verbose = (options as GetOptions | undefined)?.verbose;
      assertOptionalBoolean(verbose, 'options.verbose');
      if (verbose !== true) return `${prefix}${id}"}`; // an EntityId needs no escaping
      if (!verboseAllowed) {
        throw new TypeError(`\`options.verbose\` applies to DataSource and MLModel only, not ${kind}`);
      }
      return `${prefix}${id}","Verbose":true}`;
    },
    parse: (json) => parseResource(kind, json),
  };
}

/** `Describe<Kind>s`: one page. */
function describeRow(kind: ResourceKind): ClientOperation {
  return {
    method: `describe${kind}s`,
    operation: resourceKinds[kind].describeOperation,
    kind,
    arity: 1,
    serialize([input], options) {
      const body = serializeDescribeInput(kind, input);
      assertRequestOptions(options);
      return body;
    },
    parse(json) {
      const results = Array.isArray(json.Results) ? (json.Results as unknown[]) : [];
      const output: DescribeOutput = {
        Results: results.filter(isPlainObject).map((item) => parseResource(kind, item)),
      };
      if (typeof json.NextToken === 'string' && json.NextToken !== '') output.NextToken = json.NextToken;
      return output;
    },
  };
}

/** The `{ <Kind>Id }` answer of a Create/Update/Delete call (the sent id when the answer omits it). */
function idOutput(idMember: string, sentId: unknown): (json: Record<string, unknown>) => unknown {
  return (json) => ({ [idMember]: typeof json[idMember] === 'string' ? json[idMember] : sentId });
}

/**
 * A call on one existing resource (`Delete<Kind>(id)`, `Update<Kind>(id, name)`): checks the id, then the
 * other arguments (`members` returns them as input members), then the options; answers `{ <Kind>Id }`.
 */
function byIdRow(
  kind: ResourceKind,
  verb: 'delete' | 'update',
  arity: 1 | 2,
  members: (args: readonly unknown[]) => Record<string, unknown>,
): ClientOperation {
  const info = resourceKinds[kind];
  const { idMember } = info;
  return {
    method: `${verb}${kind}`,
    operation: verb === 'delete' ? info.deleteOperation : info.updateOperation,
    kind,
    arity,
    serialize(args, options) {
      const [id] = args;
      assertEntityId(id, 'id');
      const more = members(args);
      assertRequestOptions(options);
      return JSON.stringify({ [idMember]: id, ...more });
    },
    parse: (json, [id]) => idOutput(idMember, id)(json),
  };
}

/** `Delete<Kind>`: marks the resource `DELETED`. */
function deleteRow(kind: ResourceKind): ClientOperation {
  return byIdRow(kind, 'delete', 1, () => ({}));
}

/** `Update<Kind>(id, name)`: renames a resource. */
function updateRow(kind: ResourceKind, nameMember: string): ClientOperation {
  return byIdRow(kind, 'update', 2, ([, name]) => {
    assertEntityName(name, 'name');
    return { [nameMember]: name };
  });
}

/** A `Create…` call whose input is checked member by member against `fields`. */
function createRow(
  kind: ResourceKind,
  method: string,
  fields: Readonly<Record<string, FieldCheck>>,
): ClientOperation {
  const { idMember } = resourceKinds[kind];
  const check = structure(fields);
  return {
    method,
    operation: method.charAt(0).toUpperCase() + method.slice(1),
    kind,
    arity: 1,
    serialize([input], options) {
      check(input, 'input');
      assertRequestOptions(options);
      return JSON.stringify(input);
    },
    parse: (json, [input]) => idOutput(idMember, (input as Record<string, unknown>)[idMember])(json),
  };
}

/** Longest `DataSchema`, `DataRearrangement` and `Recipe` the API model allows. */
const MAX_DOCUMENT = 131_071;

const CREATE_ROWS: readonly ClientOperation[] = [
  createRow('BatchPrediction', 'createBatchPrediction', {
    BatchPredictionId: entityId,
    BatchPredictionName: optional(entityName),
    MLModelId: entityId,
    BatchPredictionDataSourceId: entityId,
    OutputUri: s3Url,
  }),
  createRow('DataSource', 'createDataSourceFromS3', {
    DataSourceId: entityId,
    DataSourceName: optional(entityName),
    DataSpec: structure({
      DataLocationS3: s3Url,
      DataRearrangement: optional(text(MAX_DOCUMENT)),
      DataSchema: optional(text(MAX_DOCUMENT)),
      DataSchemaLocationS3: optional(s3Url),
    }),
    ComputeStatistics: optionalBoolean,
  }),
  createRow('MLModel', 'createMLModel', {
    MLModelId: entityId,
    MLModelName: optional(text(1024)),
    MLModelType: oneOf(['REGRESSION', 'BINARY', 'MULTICLASS']),
    Parameters: optional(stringMap),
    TrainingDataSourceId: entityId,
    Recipe: optional(text(MAX_DOCUMENT)),
    RecipeUri: optional(s3Url),
  }),
  createRow('Evaluation', 'createEvaluation', {
    EvaluationId: entityId,
    EvaluationName: optional(entityName),
    MLModelId: entityId,
    EvaluationDataSourceId: entityId,
  }),
];

function byKind(
  row: (kind: ResourceKind) => ClientOperation,
): Readonly<Record<ResourceKind, ClientOperation>> {
  return Object.freeze(Object.fromEntries(RESOURCE_KINDS.map((kind) => [kind, row(kind)]))) as Record<
    ResourceKind,
    ClientOperation
  >;
}

/** `Get<Kind>` of each kind (the generic `get(kind, id)` and the waiter's poll). @internal */
export const GET_OPERATIONS = byKind(getRow);
/** `Describe<Kind>s` of each kind (`describe(kind, …)`, and `paginate…` page by page). @internal */
export const DESCRIBE_OPERATIONS = byKind(describeRow);

/** Every operation the client sends, one public method each. @internal */
export const CLIENT_OPERATIONS: readonly ClientOperation[] = Object.freeze([
  ...Object.values(GET_OPERATIONS),
  ...Object.values(DESCRIBE_OPERATIONS),
  ...CREATE_ROWS,
  updateRow('BatchPrediction', 'BatchPredictionName'),
  ...Object.values(byKind(deleteRow)),
]);

/**
 * `kind`, checked.
 * @throws {TypeError} unless `kind` is one of the four kinds.
 * @internal
 */
export function checkKind(kind: unknown): ResourceKind {
  if (!isResourceKind(kind)) {
    throw new TypeError(
      `Expected \`kind\` to be one of ${RESOURCE_KINDS.join(', ')}, got ${describeValue(kind)}`,
    );
  }
  return kind;
}
