import type { ResourceKind } from '../model/ResourceKind.js';
import type { LifecycleSettings } from './LifecycleSettings.js';

/** Values a resource shows once COMPLETED, when not given explicitly. */
export function defaultCompletion(kind: ResourceKind, settings: LifecycleSettings): Record<string, unknown> {
  switch (kind) {
    case 'BatchPrediction':
      return { TotalRecordCount: settings.totalRecordCount, InvalidRecordCount: settings.invalidRecordCount };
    case 'DataSource':
      return { DataSizeInBytes: 1_048_576, NumberOfFiles: 1 };
    case 'MLModel':
      return { SizeInBytes: 2_048_000 };
    case 'Evaluation':
      return { PerformanceMetrics: { Properties: { BinaryAUC: '0.9' } } };
  }
}
