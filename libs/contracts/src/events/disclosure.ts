import { z } from 'zod';
import { defineEvent, f } from '../define';

/** Categories of disclosure (R-P1). */
export const NOTICE_CATEGORIES = ['RESOLUTION', 'IMPLEMENTATION_RESULT', 'FINANCE', 'EVALUATION_RESULT', 'COMMUNITY_AFFAIRS', 'PARTY_AFFAIRS'] as const;

export const noticePublished = defineEvent({
  topic: 'disclosure.notice.published.v1',
  name: 'NoticePublished',
  producer: 'disclosure',
  consumers: [],
  aggregate: 'Notice',
  subjectField: 'noticeId',
  summary: 'A notice 公开/公示 was published after the supervision committee approved it',
  description:
    'R-P4/R-P5: published notices are immutable. `onTime` compares the publication date with the due date in working days (R-P3, R-P8). `contentHash` (SHA-256 of title and body) lets a subscriber check the text it later reads was not changed.',
  schema: z.object({
    noticeId: f.id('Notice id'),
    communityId: f.communityId(),
    category: z.enum(NOTICE_CATEGORIES).describe('Disclosure category (R-P1)'),
    sourceId: f.id('What the notice discloses, e.g. the resolution id').optional(),
    title: z.string().min(1).max(200).describe('Title of the notice'),
    publishedAt: f.instant('When it was published'),
    dueOn: f.date('Last day it was due (R-P3)').optional(),
    onTime: z.boolean().describe('Published on or before the due date'),
    approvedBy: f.id('Supervision-committee member 居务监督委员会成员 (resident id) who approved it'),
    contentHash: z.string().regex(/^[0-9a-f]{64}$/).describe('SHA-256 (hex) of the published title and body'),
  }),
  example: {
    noticeId: '8a9b0c1d-2e3f-4a5b-9c6d-7e8f9a0b1c2d',
    communityId: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
    category: 'RESOLUTION',
    sourceId: '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a',
    title: '关于“3号楼加装电梯方案”的决议公开',
    publishedAt: '2026-11-12T02:00:00.000Z',
    dueOn: '2026-11-17',
    onTime: true,
    approvedBy: '5e3b7f0a-8c1d-4e2f-9a3b-1c2d3e4f5a6b',
    contentHash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  },
});
