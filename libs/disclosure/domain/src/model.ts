import type { NOTICE_CATEGORIES } from '@cdp/contracts';

/** Disclosure category (R-P1). */
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];

/**
 * Life of a notice (R-P4, R-P5): drafted → reviewed by the supervision committee → either
 * published (final, immutable) or returned with a reason, revised, and reviewed again.
 */
export const NOTICE_STATUSES = ['DRAFT', 'RETURNED', 'PUBLISHED'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** How a resolution ended (R-D5): both outcomes are disclosed. */
export type ResolutionOutcome = 'ADOPTED' | 'REJECTED';

/** 公开/公示 — a notice to the residents of a community. */
export interface Notice {
  id: string;
  communityId: string;
  category: NoticeCategory;
  /** what the notice discloses, e.g. the resolution id; unique per category */
  sourceId: string | null;
  title: string;
  body: string;
  status: NoticeStatus;
  /** R-P3: last day it may be published on time (China civil date) */
  dueOn: string;
  /** R-P8: the due date counted days of a year without official holiday data */
  dueDateApproximate: boolean;
  createdAt: Date;
  publishedAt: Date | null;
  /** resident id of the supervision-committee member who approved it (R-P4) */
  approvedBy: string | null;
  /** resident id of the supervision-committee member who last returned it (R-P4) */
  returnedBy: string | null;
  /** why it was last returned (R-P4) */
  returnReason: string | null;
  /** R-P5: SHA-256 (hex) of `${title}\n${body}` as published */
  contentHash: string | null;
}

/** A seat on the supervision committee 居务监督委员会 (R-P4), as announced by membership (R-M3). */
export interface SupervisorSeat {
  /** the membership id */
  id: string;
  communityId: string;
  residentId: string;
  startedOn: string;
  endsOn: string | null;
}

/** Per-community disclosure settings (R-P3: the numbers are ours, configurable). */
export interface DisclosureSettings {
  communityId: string;
  /** R-P3: a resolution is disclosed within this many working days of the decision */
  resolutionDueWorkingDays: number;
}

export const DEFAULT_DISCLOSURE_SETTINGS = {
  /** R-P3 (ours): 5 working days */
  resolutionDueWorkingDays: 5,
} as const;

/** Limits of the texts of a notice. */
export const NOTICE_LIMITS = { title: 200, body: 20000, reason: 500 } as const;
