import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { DisclosureSettings } from '@cdp/disclosure-domain';

/** Per-community disclosure settings (R-P3: the numbers are ours, configurable). No row = defaults. */
@Entity({ tableName: 'disclosure_settings' })
export class DisclosureSettingsEntity implements DisclosureSettings {
  @PrimaryKey({ type: 'uuid' })
  communityId!: string;

  @Property({ type: 'integer' })
  resolutionDueWorkingDays!: number;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
