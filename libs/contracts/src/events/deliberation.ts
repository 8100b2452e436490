import { z } from 'zod';
import { defineEvent, f } from '../define';

/** Bodies whose meetings vote (R-D3, R-D9). */
export const ASSEMBLY_KINDS = ['REPRESENTATIVE_ASSEMBLY'] as const;

export const motionProposed = defineEvent({
  topic: 'deliberation.motion.proposed.v1',
  name: 'MotionProposed',
  producer: 'deliberation',
  consumers: [],
  aggregate: 'Motion',
  subjectField: 'motionId',
  summary: 'A motion 议案 was proposed for deliberation',
  description: 'R-D2/R-D6: the motion, its procedure and whether it is a major matter 重大事项 that must be reported to the street office.',
  schema: z.object({
    motionId: f.id('Motion 议案 id'),
    communityId: f.communityId(),
    title: z.string().min(1).max(200).describe('Title of the motion'),
    major: z.boolean().describe('Major matter 重大事项, reported to the street office (R-D6)'),
    proposedOn: f.date('Date proposed'),
  }),
  example: {
    motionId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    communityId: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
    title: '3号楼加装电梯方案',
    major: true,
    proposedOn: '2026-11-03',
  },
});

export const meetingHeld = defineEvent({
  topic: 'deliberation.meeting.held.v1',
  name: 'MeetingHeld',
  producer: 'deliberation',
  consumers: [],
  aggregate: 'Meeting',
  subjectField: 'meetingId',
  summary: 'A meeting of the residents’ representative assembly 居民代表会议 was held',
  description:
    'R-D3/R-D5: attendance against the roll at the meeting date. `quorate` is false when no more than half of the eligible members attended; such a meeting decides nothing.',
  schema: z.object({
    meetingId: f.id('Meeting id'),
    communityId: f.communityId(),
    body: z.enum(ASSEMBLY_KINDS).describe('Which assembly met'),
    heldOn: f.date('Meeting date'),
    eligible: f.count('Members on the roll at the meeting date'),
    attended: f.count('Members who attended'),
    quorate: z.boolean().describe('More than half of the eligible members attended (R-D3)'),
    motionIds: z.array(f.id('Motion voted on')).describe('Motions voted on at the meeting'),
  }),
  example: {
    meetingId: '6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e',
    communityId: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
    body: 'REPRESENTATIVE_ASSEMBLY',
    heldOn: '2026-11-10',
    eligible: 9,
    attended: 8,
    quorate: true,
    motionIds: ['1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'],
  },
});

const resolutionShape = {
  resolutionId: f.id('Resolution 决议 id'),
  motionId: f.id('The motion decided'),
  meetingId: f.id('The meeting that decided it'),
  communityId: f.communityId(),
  title: z.string().min(1).max(200).describe('Title of the motion'),
  decidedOn: f.date('Meeting date'),
  eligible: f.count('Members on the roll'),
  attended: f.count('Members present'),
  votesFor: f.count('Votes for 赞成'),
  votesAgainst: f.count('Votes against 反对'),
  abstentions: f.count('Abstentions 弃权, including present members who did not vote'),
  rule: z.string().min(1).max(500).describe('The rule that decided the outcome, with the numbers (R-D3)'),
};

export const resolutionAdopted = defineEvent({
  topic: 'deliberation.resolution.adopted.v1',
  name: 'ResolutionAdopted',
  producer: 'deliberation',
  consumers: ['disclosure'],
  aggregate: 'Resolution',
  subjectField: 'resolutionId',
  summary: 'A motion was adopted 通过 by the representative assembly',
  description:
    'R-D3/R-D5: more than half of the attendees voted for it at a quorate meeting. Disclosure drafts the resolution notice, due within 5 working days (R-P3).',
  schema: z.object(resolutionShape),
  example: {
    resolutionId: '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a',
    motionId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    meetingId: '6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e',
    communityId: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
    title: '3号楼加装电梯方案',
    decidedOn: '2026-11-10',
    eligible: 9,
    attended: 8,
    votesFor: 6,
    votesAgainst: 1,
    abstentions: 1,
    rule: 'R-D3: 8 of 9 attended (quorum: more than 4.5); 6 of 8 voted for (majority: more than 4)',
  },
});

export const resolutionRejected = defineEvent({
  topic: 'deliberation.resolution.rejected.v1',
  name: 'ResolutionRejected',
  producer: 'deliberation',
  consumers: ['disclosure'],
  aggregate: 'Resolution',
  subjectField: 'resolutionId',
  summary: 'A motion was rejected 未通过 by the representative assembly',
  description: 'R-D5: rejected outcomes are kept, counted and disclosed like adopted ones.',
  schema: z.object(resolutionShape),
  example: {
    resolutionId: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
    motionId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    meetingId: '6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e',
    communityId: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
    title: '小区停车收费调整',
    decidedOn: '2026-11-10',
    eligible: 9,
    attended: 8,
    votesFor: 3,
    votesAgainst: 4,
    abstentions: 1,
    rule: 'R-D3: 8 of 9 attended (quorum: more than 4.5); 3 of 8 voted for (majority: more than 4)',
  },
});
