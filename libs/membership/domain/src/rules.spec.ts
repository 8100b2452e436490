import { DomainError } from '@cdp/util';
import { ageOn, appointBodyMember, electRepresentative, endRepresentativeTerm, inOffice, isAdult, maskIdNumber, registerCommunity, registerResident, termEndFor, validIdNumber } from './rules';
import type { Community, Representative, Resident } from './model';

const community: Community = {
  id: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
  districtId: '0b9f1c6e-3c1e-4a59-8f0e-6a0f3c9b2d10',
  street: '花园路街道',
  name: '幸福里社区',
  representativeTermYears: 2,
  minRepresentativesPerGroup: 2,
  maxRepresentativesPerGroup: 3,
};
const group = { id: '2a4c6e8f-1b3d-4f5a-8c7e-9d0b1a2c3e4f', communityId: community.id, name: '第一居民小组' };
const resident = (id: string, birthDate = '1980-05-01'): Resident => ({ id, communityId: community.id, groupId: group.id, name: '张三', birthDate, idNumber: null, phone: null, registeredOn: '2020-01-01' });
const rep = (n: number, over: Partial<Representative> = {}): Representative => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  communityId: community.id,
  groupId: group.id,
  residentId: `00000000-0000-4000-8000-10000000000${n}`,
  termStart: '2026-01-01',
  termEnd: '2027-12-31',
  endedOn: null,
  endReason: null,
  ...over,
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? `${e.code}${e.rule ? ` ${e.rule}` : ''}` : 'OTHER';
  }
  return undefined;
}

describe('membership rules', () => {
  it('R-M1 a resident is an adult from the 18th birthday', () => {
    expect(ageOn('2008-11-26', '2026-11-25')).toBe(17);
    expect(isAdult('2008-11-26', '2026-11-25')).toBe(false);
    expect(isAdult('2008-11-26', '2026-11-26')).toBe(true);
  });

  it('R-M1 a 17-year-old cannot be elected representative', () => {
    expect(codeOf(() => electRepresentative('00000000-0000-4000-8000-0000000000aa', community, resident('00000000-0000-4000-8000-0000000000bb', '2009-06-01'), [], { termStart: '2026-11-26' }))).toBe('BAD_USER_INPUT R-M1');
  });

  it('R-M2 a group elects at most three representatives for overlapping terms', () => {
    const r = resident('00000000-0000-4000-8000-0000000000bb');
    const three = [rep(1), rep(2), rep(3)];
    expect(codeOf(() => electRepresentative('00000000-0000-4000-8000-0000000000aa', community, r, three, { termStart: '2026-06-01' }))).toBe('CONFLICT R-M2');
    // one of them ended early: a seat is free again
    const ended = [rep(1, { endedOn: '2026-03-31', endReason: 'MOVED_OUT' }), rep(2), rep(3)];
    const ok = electRepresentative('00000000-0000-4000-8000-0000000000aa', community, r, ended, { termStart: '2026-06-01' });
    expect(ok.representative.termEnd).toBe('2028-05-31');
    expect(ok.event).toEqual({ representativeId: ok.representative.id, residentId: r.id, communityId: community.id, groupId: group.id, termStart: '2026-06-01', termEnd: '2028-05-31' });
  });

  it('R-M2 one resident holds one seat at a time', () => {
    const r = resident('00000000-0000-4000-8000-100000000001');
    expect(codeOf(() => electRepresentative('00000000-0000-4000-8000-0000000000aa', community, r, [rep(1)], { termStart: '2026-06-01' }))).toBe('CONFLICT R-M2');
  });

  it('R-M2 the term length is configurable per community', () => {
    const three = { ...community, representativeTermYears: 3 };
    expect(electRepresentative('00000000-0000-4000-8000-0000000000aa', three, resident('00000000-0000-4000-8000-0000000000bb'), [], { termStart: '2026-01-01' }).representative.termEnd).toBe('2028-12-31');
    expect(termEndFor('2024-02-29', 2)).toBe('2026-02-28');
  });

  it('R-M3 an ended term is kept with its end date and reason, and cannot end twice', () => {
    const r = rep(1);
    const { representative, event } = endRepresentativeTerm(r, { endedOn: '2026-06-30', reason: 'RESIGNED' });
    expect(representative).toMatchObject({ endedOn: '2026-06-30', endReason: 'RESIGNED', termEnd: '2027-12-31' });
    expect(event.reason).toBe('RESIGNED');
    expect(inOffice(representative, '2026-06-30')).toBe(true);
    expect(inOffice(representative, '2026-07-01')).toBe(false);
    expect(codeOf(() => endRepresentativeTerm(representative, { endedOn: '2026-07-01', reason: 'RESIGNED' }))).toBe('CONFLICT R-M3');
    expect(codeOf(() => endRepresentativeTerm(r, { endedOn: '2026-07-01', reason: 'BORED' }))).toBe('BAD_USER_INPUT');
  });

  it('validates resident input and keeps personal data out of the event', () => {
    const { resident: res, event } = registerResident('00000000-0000-4000-8000-0000000000cc', group, {
      name: ' 李四 ',
      birthDate: '1990-02-03',
      idNumber: '11010519491231002x',
      phone: '138-0013-8000',
      registeredOn: '2026-11-26',
    });
    expect(res).toMatchObject({ name: '李四', idNumber: '11010519491231002X', phone: '13800138000' });
    expect(JSON.stringify(event)).not.toMatch(/李四|1101051949|13800138000|1990-02-03/);
    expect(event.adult).toBe(true);
    expect(codeOf(() => registerResident('x', group, { name: 'a', birthDate: '2026-13-01', registeredOn: '2026-11-26' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => registerResident('x', group, { name: 'a', birthDate: '1990-01-01', idNumber: '110105194912310021', registeredOn: '2026-11-26' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => registerResident('x', group, { name: '', birthDate: '1990-01-01', registeredOn: '2026-11-26' }))).toBe('BAD_USER_INPUT');
  });

  it('R-P6 ID numbers are checked and masked', () => {
    expect(validIdNumber('11010519491231002X')).toBe(true);
    expect(validIdNumber('110105194912310021')).toBe(false);
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('R-M2 community settings are validated', () => {
    expect(codeOf(() => registerCommunity('x', { districtId: community.districtId, name: 'A', street: 'B', minRepresentativesPerGroup: 4, maxRepresentativesPerGroup: 3 }, new Date()))).toBe('BAD_USER_INPUT R-M2');
    const { community: c } = registerCommunity('00000000-0000-4000-8000-0000000000dd', { districtId: community.districtId, name: 'A', street: 'B' }, new Date());
    expect(c).toMatchObject({ representativeTermYears: 2, minRepresentativesPerGroup: 2, maxRepresentativesPerGroup: 3 });
  });

  it('R-M3 one seat per body at a time; body members are adults', () => {
    const r = resident('00000000-0000-4000-8000-0000000000bb');
    const first = appointBodyMember('00000000-0000-4000-8000-0000000000e1', r, [], { body: 'SUPERVISION_COMMITTEE', startedOn: '2026-01-01' });
    expect(codeOf(() => appointBodyMember('00000000-0000-4000-8000-0000000000e2', r, [first.membership], { body: 'SUPERVISION_COMMITTEE', startedOn: '2026-06-01' }))).toBe('CONFLICT R-M3');
    expect(appointBodyMember('00000000-0000-4000-8000-0000000000e3', r, [first.membership], { body: 'RESIDENTS_COMMITTEE', startedOn: '2026-06-01' }).membership.body).toBe('RESIDENTS_COMMITTEE');
    expect(codeOf(() => appointBodyMember('x', resident('y', '2015-01-01'), [], { body: 'SUPERVISION_COMMITTEE', startedOn: '2026-01-01' }))).toBe('BAD_USER_INPUT R-M1');
  });
});
