import { z } from 'zod';
import { defineEvent, f } from '../define';

/** Bodies of a community a person can be appointed to (R-M3). */
export const BODY_KINDS = [
  'RESIDENTS_COMMITTEE',
  'PARTY_ORGANISATION',
  'SUPERVISION_COMMITTEE',
  'DEMOCRATIC_FINANCE_GROUP',
  'EVALUATION_GROUP',
  'MEDIATION_COMMITTEE',
] as const;

export const communityRegistered = defineEvent({
  topic: 'membership.community.registered.v1',
  name: 'CommunityRegistered',
  producer: 'membership',
  consumers: ['deliberation', 'disclosure', 'evaluation'],
  aggregate: 'Community',
  subjectField: 'communityId',
  summary: 'A community 社区 was registered in a district 区 (and street 街道)',
  description:
    'Published once when membership registers a community. Other services learn which communities exist from it; a community unknown to them is NOT_FOUND there.',
  schema: z.object({
    communityId: f.communityId(),
    districtId: f.id('District 区 id'),
    street: z.string().min(1).max(100).describe('Street office 街道 the community belongs to'),
    name: z.string().min(1).max(100).describe('Name of the community (not personal data)'),
    registeredAt: f.instant('When it was registered'),
  }),
  example: {
    communityId: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
    districtId: '0b9f1c6e-3c1e-4a59-8f0e-6a0f3c9b2d10',
    street: '花园路街道',
    name: '幸福里社区',
    registeredAt: '2026-11-02T01:00:00.000Z',
  },
});

export const residentRegistered = defineEvent({
  topic: 'membership.resident.registered.v1',
  name: 'ResidentRegistered',
  producer: 'membership',
  consumers: [],
  aggregate: 'Resident',
  subjectField: 'residentId',
  summary: 'A resident 居民 was registered in a residents’ group 居民小组',
  description:
    'Carries ids only: never the name, ID number, phone number or birth date. `adult` says whether the resident may vote in residents’ meetings today (R-M1, age 18).',
  schema: z.object({
    residentId: f.id('Resident 居民 id'),
    communityId: f.communityId(),
    groupId: f.id('Residents’ group 居民小组 id'),
    adult: z.boolean().describe('18 or older on the registration date (R-M1)'),
    registeredOn: f.date('Registration date'),
  }),
  example: {
    residentId: '5e3b7f0a-8c1d-4e2f-9a3b-1c2d3e4f5a6b',
    communityId: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
    groupId: '2a4c6e8f-1b3d-4f5a-8c7e-9d0b1a2c3e4f',
    adult: true,
    registeredOn: '2026-11-02',
  },
});

export const representativeElected = defineEvent({
  topic: 'membership.representative.elected.v1',
  name: 'RepresentativeElected',
  producer: 'membership',
  consumers: ['deliberation', 'evaluation'],
  aggregate: 'Representative',
  subjectField: 'representativeId',
  summary: 'A residents’ representative 居民代表 was elected by a residents’ group for a term',
  description:
    'R-M2: each residents’ group elects 2–3 representatives for a term. Deliberation and evaluation keep their voter rolls (R-D3, R-E5) from this event and `membership.representative.term-ended.v1`.',
  schema: z.object({
    representativeId: f.id('Representative 居民代表 id (one term of office)'),
    residentId: f.id('The resident holding the office'),
    communityId: f.communityId(),
    groupId: f.id('Residents’ group that elected the representative'),
    termStart: f.date('First day of the term'),
    termEnd: f.date('Last day of the term'),
  }),
  example: {
    representativeId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
    residentId: '5e3b7f0a-8c1d-4e2f-9a3b-1c2d3e4f5a6b',
    communityId: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
    groupId: '2a4c6e8f-1b3d-4f5a-8c7e-9d0b1a2c3e4f',
    termStart: '2026-11-02',
    termEnd: '2028-11-01',
  },
});

export const REPRESENTATIVE_END_REASONS = ['RESIGNED', 'MOVED_OUT', 'RECALLED', 'DECEASED'] as const;

export const representativeTermEnded = defineEvent({
  topic: 'membership.representative.term-ended.v1',
  name: 'RepresentativeTermEnded',
  producer: 'membership',
  consumers: ['deliberation', 'evaluation'],
  aggregate: 'Representative',
  subjectField: 'representativeId',
  summary: 'A representative’s term 任期 ended before its planned end',
  description:
    'Published when a term is ended early (resignation, moving out, recall). A term that simply runs out needs no event: `termEnd` of the election event already says so. From `endedOn` the representative is off every roll.',
  schema: z.object({
    representativeId: f.id('Representative id'),
    communityId: f.communityId(),
    endedOn: f.date('Last day in office'),
    reason: z.enum(REPRESENTATIVE_END_REASONS).describe('Why the term ended'),
  }),
  example: {
    representativeId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
    communityId: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
    endedOn: '2027-03-31',
    reason: 'MOVED_OUT',
  },
});

export const bodyMemberAppointed = defineEvent({
  topic: 'membership.body-member.appointed.v1',
  name: 'BodyMemberAppointed',
  producer: 'membership',
  consumers: ['disclosure'],
  aggregate: 'BodyMembership',
  subjectField: 'membershipId',
  summary: 'A resident was appointed or elected to a body of the community (e.g. supervision committee 居务监督委员会)',
  description:
    'R-M3: memberships are time-bounded and kept. Disclosure keeps its list of supervision-committee members, who review notices (R-P4), from this event.',
  schema: z.object({
    membershipId: f.id('Body membership id'),
    residentId: f.id('The member'),
    communityId: f.communityId(),
    body: z.enum(BODY_KINDS).describe('Which body'),
    startedOn: f.date('First day of membership'),
    endsOn: f.date('Last day of membership, if fixed').optional(),
  }),
  example: {
    membershipId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
    residentId: '5e3b7f0a-8c1d-4e2f-9a3b-1c2d3e4f5a6b',
    communityId: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
    body: 'SUPERVISION_COMMITTEE',
    startedOn: '2026-11-02',
  },
});
