import type { PayloadOf } from '@cdp/contracts';
import { BODY_KINDS, REPRESENTATIVE_END_REASONS, type bodyMemberAppointed, type communityRegistered, type representativeElected, type representativeTermEnded, type residentRegistered } from '@cdp/contracts';
import { badInput, check, conflict } from '@cdp/util';
import { DEFAULT_COMMUNITY_SETTINGS, type BodyMembership, type Community, type Representative, type Resident, type ResidentGroup } from './model';

/** Voting age (R-M1, 城市居民委员会组织法). */
export const VOTING_AGE = 18;

/** Age in whole years on a date (both YYYY-MM-DD). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** R-M1: may take part in residents' meetings and vote. */
export function isAdult(birthDate: string, on: string): boolean {
  return ageOn(birthDate, on) >= VOTING_AGE;
}

/** Adds whole years to a date and steps back one day: the last day of a term starting `start`. */
export function termEndFor(start: string, years: number): string {
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Is a representative in office on `on` (R-M2, R-M3)? */
export function inOffice(r: Pick<Representative, 'termStart' | 'termEnd' | 'endedOn'>, on: string): boolean {
  return r.termStart <= on && on <= r.termEnd && (r.endedOn === null || on <= r.endedOn);
}

export interface RegisterCommunityCommand {
  districtId: string;
  name: string;
  street: string;
  representativeTermYears?: number | null;
  minRepresentativesPerGroup?: number | null;
  maxRepresentativesPerGroup?: number | null;
}

export function registerCommunity(id: string, cmd: RegisterCommunityCommand, now: Date): { community: Community; event: PayloadOf<typeof communityRegistered> } {
  const min = cmd.minRepresentativesPerGroup ?? DEFAULT_COMMUNITY_SETTINGS.minRepresentativesPerGroup;
  const max = cmd.maxRepresentativesPerGroup ?? DEFAULT_COMMUNITY_SETTINGS.maxRepresentativesPerGroup;
  check.intRange(min, 'input.minRepresentativesPerGroup', 1, 20);
  check.intRange(max, 'input.maxRepresentativesPerGroup', 1, 20);
  if (min > max) throw badInput('minRepresentativesPerGroup cannot exceed maxRepresentativesPerGroup', 'input.minRepresentativesPerGroup', 'R-M2');
  const community: Community = {
    id,
    districtId: check.uuid(cmd.districtId, 'input.districtId'),
    name: check.text(cmd.name, 'input.name', { max: 100 }),
    street: check.text(cmd.street, 'input.street', { max: 100 }),
    representativeTermYears: check.intRange(cmd.representativeTermYears ?? DEFAULT_COMMUNITY_SETTINGS.representativeTermYears, 'input.representativeTermYears', 1, 10),
    minRepresentativesPerGroup: min,
    maxRepresentativesPerGroup: max,
  };
  return {
    community,
    event: { communityId: id, districtId: community.districtId, street: community.street, name: community.name, registeredAt: now.toISOString() },
  };
}

export function createResidentGroup(id: string, community: Community, name: string): ResidentGroup {
  return { id, communityId: community.id, name: check.text(name, 'input.name', { max: 100 }) };
}

/** Mainland resident ID number: 17 digits and a check character (GB 11643). */
export function validIdNumber(v: string): boolean {
  if (!/^\d{17}[\dX]$/.test(v)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(v[i]), 0);
  return '10X98765432'[sum % 11] === v[17];
}

/** Masks all but the first 6 and last 4 characters (R-P6). */
export function maskIdNumber(v: string): string {
  return `${v.slice(0, 6)}********${v.slice(-4)}`;
}

/** Masks the middle four digits of a mobile number (R-P6). */
export function maskPhone(v: string): string {
  return `${v.slice(0, 3)}****${v.slice(-4)}`;
}

export interface RegisterResidentCommand {
  name: string;
  birthDate: string;
  idNumber?: string | null;
  phone?: string | null;
  registeredOn: string;
}

export function registerResident(
  id: string,
  group: ResidentGroup,
  cmd: RegisterResidentCommand,
): { resident: Resident; event: PayloadOf<typeof residentRegistered> } {
  const birthDate = check.date(cmd.birthDate, 'input.birthDate');
  const registeredOn = check.date(cmd.registeredOn, 'input.registeredOn');
  if (birthDate > registeredOn) throw badInput('birthDate cannot be after the registration date', 'input.birthDate');
  if (ageOn(birthDate, registeredOn) > 130) throw badInput('birthDate is implausibly early', 'input.birthDate');
  const idNumber = cmd.idNumber ? cmd.idNumber.trim().toUpperCase() : null;
  if (idNumber !== null && !validIdNumber(idNumber)) throw badInput('idNumber is not a valid resident ID number', 'input.idNumber');
  const phone = cmd.phone ? cmd.phone.replace(/[\s-]/g, '') : null;
  if (phone !== null && !/^1\d{10}$/.test(phone)) throw badInput('phone must be an 11-digit mobile number', 'input.phone');
  const resident: Resident = {
    id,
    communityId: group.communityId,
    groupId: group.id,
    name: check.text(cmd.name, 'input.name', { max: 50 }),
    birthDate,
    idNumber,
    phone,
    registeredOn,
  };
  return {
    resident,
    event: { residentId: id, communityId: group.communityId, groupId: group.id, adult: isAdult(birthDate, registeredOn), registeredOn },
  };
}

export interface ElectRepresentativeCommand {
  termStart: string;
}

/**
 * R-M1 the representative is an adult on the first day of the term; R-M2 a group has at most
 * `maxRepresentativesPerGroup` representatives in office at once and a resident holds one seat.
 * `current` are the group's representatives whose terms overlap the new one.
 */
export function electRepresentative(
  id: string,
  community: Community,
  resident: Resident,
  current: Representative[],
  cmd: ElectRepresentativeCommand,
): { representative: Representative; event: PayloadOf<typeof representativeElected> } {
  const termStart = check.date(cmd.termStart, 'input.termStart');
  if (termStart < resident.registeredOn) throw badInput('the term cannot start before the resident was registered', 'input.termStart');
  if (!isAdult(resident.birthDate, termStart)) {
    throw badInput(`a representative must be at least ${VOTING_AGE} on the first day of the term`, 'input.residentId', 'R-M1');
  }
  const termEnd = termEndFor(termStart, community.representativeTermYears);
  const overlapping = current.filter((r) => r.groupId === resident.groupId && r.termStart <= termEnd && termStart <= (r.endedOn ?? r.termEnd));
  if (overlapping.some((r) => r.residentId === resident.id)) {
    throw conflict('this resident already holds a representative seat for that period', 'R-M2', 'input.residentId');
  }
  if (overlapping.length >= community.maxRepresentativesPerGroup) {
    throw conflict(`a residents' group elects at most ${community.maxRepresentativesPerGroup} representatives; it already has ${overlapping.length} for that period`, 'R-M2', 'input.residentId');
  }
  const representative: Representative = {
    id,
    communityId: community.id,
    groupId: resident.groupId,
    residentId: resident.id,
    termStart,
    termEnd,
    endedOn: null,
    endReason: null,
  };
  return {
    representative,
    event: { representativeId: id, residentId: resident.id, communityId: community.id, groupId: resident.groupId, termStart, termEnd },
  };
}

export interface EndTermCommand {
  endedOn: string;
  reason: string;
}

/** Ends a term early (R-M3: the record is kept, with when and why). */
export function endRepresentativeTerm(rep: Representative, cmd: EndTermCommand): { representative: Representative; event: PayloadOf<typeof representativeTermEnded> } {
  const endedOn = check.date(cmd.endedOn, 'input.endedOn');
  const reason = check.oneOf(cmd.reason, REPRESENTATIVE_END_REASONS, 'input.reason');
  if (rep.endedOn !== null) throw conflict(`this term already ended on ${rep.endedOn}`, 'R-M3');
  if (endedOn < rep.termStart) throw badInput('endedOn is before the term started', 'input.endedOn');
  if (endedOn >= rep.termEnd) throw badInput(`the term runs out on ${rep.termEnd} by itself; end it early or let it run`, 'input.endedOn');
  return {
    representative: { ...rep, endedOn, endReason: reason },
    event: { representativeId: rep.id, communityId: rep.communityId, endedOn, reason },
  };
}

export interface AppointBodyMemberCommand {
  body: string;
  startedOn: string;
  endsOn?: string | null;
}

/** R-M3: a time-bounded seat on a body; one person holds one seat per body at a time. */
export function appointBodyMember(
  id: string,
  resident: Resident,
  current: BodyMembership[],
  cmd: AppointBodyMemberCommand,
): { membership: BodyMembership; event: PayloadOf<typeof bodyMemberAppointed> } {
  const body = check.oneOf(cmd.body, BODY_KINDS, 'input.body');
  const startedOn = check.date(cmd.startedOn, 'input.startedOn');
  const endsOn = cmd.endsOn ? check.date(cmd.endsOn, 'input.endsOn') : null;
  if (endsOn !== null && endsOn < startedOn) throw badInput('endsOn is before startedOn', 'input.endsOn');
  if (!isAdult(resident.birthDate, startedOn)) throw badInput(`a body member must be at least ${VOTING_AGE}`, 'input.residentId', 'R-M1');
  const clash = current.some((m) => m.residentId === resident.id && m.body === body && (m.endsOn === null || m.endsOn >= startedOn) && (endsOn === null || m.startedOn <= endsOn));
  if (clash) throw conflict('this resident already sits on that body for that period', 'R-M3', 'input.residentId');
  const membership: BodyMembership = { id, communityId: resident.communityId, residentId: resident.id, body, startedOn, endsOn };
  return {
    membership,
    event: { membershipId: id, residentId: resident.id, communityId: resident.communityId, body, startedOn, ...(endsOn ? { endsOn } : {}) },
  };
}
