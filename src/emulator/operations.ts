/*
 * The table of the 20 implemented operations of the Amazon ML JSON protocol. About 300 lines because the
 * four Create… entries each check their own input members (reference §4); every handler is made by one
 * function per verb (createOperation, getOperation, describeOperation, updateOperation, deleteOperation).
 */
import type { ListView } from './FaultPlan.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';
import { describeResources } from './describeResources.js';
import type { Input } from './inputValidation.js';
import {
  canonicalJson,
  entityName,
  enumMember,
  optionalBoolean,
  optionalString,
  requireId,
  s3Url,
  stringMap,
  structure,
} from './inputValidation.js';
import type { Reference, ResourceStore } from './ResourceStore.js';
import { defaultCompletion } from './defaultCompletion.js';
import type { LifecycleSettings } from './LifecycleSettings.js';
import { serviceErrors } from './ServiceError.js';
import { JsonText } from './JsonText.js';

/** What an operation handler may use. */
export interface OperationContext {
  readonly store: ResourceStore;
  /** `CreatedByIamUser` of resources created by this request. */
  readonly userArn: string;
  /** Create missing references as COMPLETED resources instead of failing the new resource. */
  readonly autoCreateReferences: boolean;
  readonly lifecycle: Readonly<Record<ResourceKind, LifecycleSettings>>;
  /** Set by the list faults: how `Describe…` pages read. */
  readonly listView?: ListView | undefined;
}

/** One implemented operation of the Amazon ML JSON protocol. */
export interface Operation {
  readonly kind: ResourceKind;
  /** The input member holding the resource id (for fault matching and the request log), if any. */
  readonly idMember: string | undefined;
  handle(input: Input, context: OperationContext): Readonly<Record<string, unknown>> | JsonText;
}

/** Operations of the model the emulator does not implement (answered with `UnknownOperationException`). */
export const UNSUPPORTED_OPERATIONS: ReadonlySet<string> = new Set([
  'AddTags',
  'CreateDataSourceFromRDS',
  'CreateDataSourceFromRedshift',
  'CreateRealtimeEndpoint',
  'DeleteRealtimeEndpoint',
  'DeleteTags',
  'DescribeTags',
  'Predict',
]);

const DEFAULT_TRAINING_PARAMETERS: Readonly<Record<string, string>> = Object.freeze({
  'sgd.maxMLModelSizeInBytes': '104857600',
  'sgd.maxPasses': '10',
  'sgd.shuffleType': 'auto',
  'sgd.l2RegularizationAmount': '1.0E-6',
});

/** Throws `ResourceNotFoundException` unless the resource is visible now. */
function requireVisible(context: OperationContext, kind: ResourceKind, id: string): void {
  if (context.store.view(kind, id) === undefined) throw serviceErrors.resourceNotFound(kind, id);
}

function ensureReferences(context: OperationContext, references: readonly Reference[]): void {
  if (!context.autoCreateReferences) return;
  for (const ref of references) {
    if (context.store.record(ref.kind, ref.id) === undefined) {
      context.store.put(ref.kind, { [resourceKinds[ref.kind].idMember]: ref.id, Status: 'COMPLETED' });
    }
  }
}

/** What a Create… call makes, once its own input members are checked. */
interface NewResource {
  /** The resources it depends on (created first with `autoCreateReferences`). */
  readonly references: readonly Reference[];
  /** Its members, read once the references exist. */
  fields(context: OperationContext): Record<string, unknown>;
  /** Values it shows once COMPLETED. Default: {@link defaultCompletion} of its kind. */
  completion?(context: OperationContext): Record<string, unknown>;
}

/** A batch prediction or an evaluation: an ML model run on a data source (`dataSourceMember`). */
function modelOnData(
  input: Input,
  dataSourceMember: string,
  name: string | undefined,
): NewResource & { readonly modelId: string } {
  const modelId = requireId(input, 'MLModelId');
  const dataSourceId = requireId(input, dataSourceMember);
  return {
    modelId,
    references: [
      { kind: 'MLModel', id: modelId },
      { kind: 'DataSource', id: dataSourceId },
    ],
    fields: (context) => ({
      MLModelId: modelId,
      [dataSourceMember]: dataSourceId,
      InputDataLocationS3: context.store.view('DataSource', dataSourceId)?.DataLocationS3,
      Name: name,
    }),
  };
}

/** An operation on one resource named by its id member (`BatchPredictionId`, …), read first. */
function byIdOperation(
  kind: ResourceKind,
  handle: (
    id: string,
    input: Input,
    context: OperationContext,
  ) => Readonly<Record<string, unknown>> | JsonText,
): Operation {
  const idMember = resourceKinds[kind].idMember;
  return {
    kind,
    idMember,
    handle: (input, context) => handle(requireId(input, idMember), input, context),
  };
}

function getOperation(kind: ResourceKind, verbose: boolean): Operation {
  return byIdOperation(kind, (id, input, context) => {
    const isVerbose = verbose && optionalBoolean(input, 'Verbose', false);
    const json = context.store.viewJson(kind, id, isVerbose ? 'verbose' : 'get');
    if (json === undefined) throw serviceErrors.resourceNotFound(kind, id);
    return new JsonText(json);
  });
}

function describeOperation(kind: ResourceKind): Operation {
  return {
    kind,
    idMember: undefined,
    handle: (input, context) => describeResources(context.store, kind, input, context.listView),
  };
}

/**
 * An operation on one existing resource (`Update…`, `Delete…`): reads the id, lets `change` check the
 * rest of the input and return the store call to make, requires the resource to be visible, makes the
 * call, and answers with the id.
 */
function changeOperation(
  kind: ResourceKind,
  change: (input: Input) => (store: ResourceStore, id: string) => void,
): Operation {
  return byIdOperation(kind, (id, input, context) => {
    const apply = change(input);
    requireVisible(context, kind, id);
    apply(context.store, id);
    return { [resourceKinds[kind].idMember]: id };
  });
}

function deleteOperation(kind: ResourceKind): Operation {
  return changeOperation(kind, () => (store, id) => {
    store.markDeleted(kind, id);
  });
}

function updateOperation(kind: ResourceKind, nameMember: string, nameRequired: boolean): Operation {
  return changeOperation(kind, (input) => {
    const name = entityName(input, nameMember, nameRequired);
    let scoreThreshold: number | undefined;
    if (kind === 'MLModel' && input.ScoreThreshold !== undefined && input.ScoreThreshold !== null) {
      const value = input.ScoreThreshold;
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw serviceErrors.invalidInput('ScoreThreshold must be a number');
      scoreThreshold = value;
    }
    return (store, id) => {
      store.update(kind, id, { name, scoreThreshold });
    };
  });
}

/** A Create… operation: the id and name members, then `check` for the kind's own members. */
function createOperation(
  kind: ResourceKind,
  nameMember: string,
  check: (input: Input, name: string | undefined) => NewResource,
): Operation {
  const idMember = resourceKinds[kind].idMember;
  return byIdOperation(kind, (id, input, context) => {
    const made = check(input, entityName(input, nameMember, false));
    ensureReferences(context, made.references);
    const params = canonicalJson(input);
    const existing = context.store.record(kind, id);
    if (existing !== undefined) {
      // The same Create… again is answered as the first was (idempotency), another one is refused.
      if (existing.createParams === params) return { [idMember]: id };
      throw serviceErrors.idempotentParameterMismatch(
        `A ${kind} with id ${id} already exists with different parameters`,
      );
    }
    const fields = Object.entries(made.fields(context)).filter(([, v]) => v !== undefined);
    const completion = made.completion?.(context) ?? defaultCompletion(kind, context.lifecycle[kind]);
    context.store.create(
      kind,
      id,
      { CreatedByIamUser: context.userArn, ...Object.fromEntries(fields) },
      params,
      made.references,
      completion,
    );
    return { [idMember]: id };
  });
}

const operations: Record<string, Operation> = {
  CreateBatchPrediction: createOperation('BatchPrediction', 'BatchPredictionName', (input, name) => {
    const made = modelOnData(input, 'BatchPredictionDataSourceId', name);
    const outputUri = s3Url(input, 'OutputUri', true);
    return { ...made, fields: (context) => ({ ...made.fields(context), OutputUri: outputUri }) };
  }),
  CreateDataSourceFromS3: createOperation('DataSource', 'DataSourceName', (input, name) => {
    const spec = structure(input, 'DataSpec', true) ?? {};
    const location = s3Url(spec, 'DataLocationS3', true);
    const rearrangement = optionalString(spec, 'DataRearrangement', 131071);
    const schema = optionalString(spec, 'DataSchema', 131071);
    s3Url(spec, 'DataSchemaLocationS3', false);
    const computeStatistics = optionalBoolean(input, 'ComputeStatistics', false);
    return {
      references: [],
      fields: () => ({
        DataLocationS3: location,
        DataRearrangement: rearrangement,
        Name: name,
        ComputeStatistics: computeStatistics,
        DataSourceSchema: schema,
      }),
    };
  }),
  CreateMLModel: createOperation('MLModel', 'MLModelName', (input, name) => {
    const type = enumMember(input, 'MLModelType', ['REGRESSION', 'BINARY', 'MULTICLASS'] as const, true);
    const parameters = stringMap(input, 'Parameters');
    const dataSourceId = requireId(input, 'TrainingDataSourceId');
    const recipe = optionalString(input, 'Recipe', 131071);
    s3Url(input, 'RecipeUri', false);
    return {
      references: [{ kind: 'DataSource', id: dataSourceId }],
      fields(context) {
        const source = context.store.view('DataSource', dataSourceId, 'verbose');
        return {
          TrainingDataSourceId: dataSourceId,
          Name: name,
          EndpointInfo: { PeakRequestsPerSecond: 0, EndpointStatus: 'NONE' },
          TrainingParameters: { ...DEFAULT_TRAINING_PARAMETERS, ...parameters },
          InputDataLocationS3: source?.DataLocationS3,
          MLModelType: type,
          Recipe: recipe,
          Schema: source?.DataSourceSchema,
        };
      },
    };
  }),
  CreateEvaluation: createOperation('Evaluation', 'EvaluationName', (input, name) => {
    const made = modelOnData(input, 'EvaluationDataSourceId', name);
    return {
      ...made,
      completion(context) {
        const type = context.store.view('MLModel', made.modelId)?.MLModelType;
        const metric =
          type === 'REGRESSION'
            ? { RegressionRMSE: '0.25' }
            : type === 'MULTICLASS'
              ? { MulticlassAvgFScore: '0.8' }
              : { BinaryAUC: '0.9' };
        return { PerformanceMetrics: { Properties: metric } };
      },
    };
  }),
  GetBatchPrediction: getOperation('BatchPrediction', false),
  GetDataSource: getOperation('DataSource', true),
  GetMLModel: getOperation('MLModel', true),
  GetEvaluation: getOperation('Evaluation', false),
  DescribeBatchPredictions: describeOperation('BatchPrediction'),
  DescribeDataSources: describeOperation('DataSource'),
  DescribeMLModels: describeOperation('MLModel'),
  DescribeEvaluations: describeOperation('Evaluation'),
  UpdateBatchPrediction: updateOperation('BatchPrediction', 'BatchPredictionName', true),
  UpdateDataSource: updateOperation('DataSource', 'DataSourceName', true),
  UpdateMLModel: updateOperation('MLModel', 'MLModelName', false),
  UpdateEvaluation: updateOperation('Evaluation', 'EvaluationName', true),
  DeleteBatchPrediction: deleteOperation('BatchPrediction'),
  DeleteDataSource: deleteOperation('DataSource'),
  DeleteMLModel: deleteOperation('MLModel'),
  DeleteEvaluation: deleteOperation('Evaluation'),
};

/** The implemented operations, by name (`GetBatchPrediction`, …). */
export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(Object.entries(operations));
