import type { BODY_KINDS, REPRESENTATIVE_END_REASONS } from '@cdp/contracts';

export type BodyKind = (typeof BODY_KINDS)[number];
export type RepresentativeEndReason = (typeof REPRESENTATIVE_END_REASONS)[number];

/** 社区 — a community and its settings (defaults are ours, configurable per community). */
export interface Community {
  id: string;
  districtId: string;
  street: string;
  name: string;
  /** R-M2: term of a representative in years (model charter: 2) */
  representativeTermYears: number;
  /** R-M2: representatives each residents' group elects */
  minRepresentativesPerGroup: number;
  maxRepresentativesPerGroup: number;
}

/** 居民小组 */
export interface ResidentGroup {
  id: string;
  communityId: string;
  name: string;
}

/** 居民 — personal data (name, birth date, ID and phone numbers) stays in membership. */
export interface Resident {
  id: string;
  communityId: string;
  groupId: string;
  name: string;
  birthDate: string;
  idNumber: string | null;
  phone: string | null;
  registeredOn: string;
}

/** 居民代表 — one term of office. */
export interface Representative {
  id: string;
  communityId: string;
  groupId: string;
  residentId: string;
  termStart: string;
  termEnd: string;
  endedOn: string | null;
  endReason: RepresentativeEndReason | null;
}

/** Membership of a body (居务监督委员会 …), time-bounded (R-M3). */
export interface BodyMembership {
  id: string;
  communityId: string;
  residentId: string;
  body: BodyKind;
  startedOn: string;
  endsOn: string | null;
}

export const DEFAULT_COMMUNITY_SETTINGS = {
  representativeTermYears: 2,
  minRepresentativesPerGroup: 2,
  maxRepresentativesPerGroup: 3,
} as const;
