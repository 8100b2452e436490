import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { EvaluationSettings } from '@cdp/evaluation-domain';

/** R-E7 thresholds a community chose (ours, configurable); no row = the defaults. */
@Entity({ tableName: 'evaluation_settings' })
export class EvaluationSettingsEntity implements EvaluationSettings {
  @PrimaryKey({ type: 'uuid' })
  communityId!: string;

  @Property({ type: 'double', runtimeType: 'number' })
  satisfiedThreshold!: number;

  @Property({ type: 'double', runtimeType: 'number' })
  basicallySatisfiedThreshold!: number;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
