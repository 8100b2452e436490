import { DomainError } from './errors';
import { mayRead, requireActIn, type Actor } from './access';

const C = { id: 'c1', street: '花园路街道', districtId: 'd1' };
const actor = (over: Partial<Actor>): Actor => ({ sub: 's', roles: [], communities: [], ...over });
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'OK';
  } catch (e) {
    return (e as DomainError).code;
  }
};

describe('access policy', () => {
  it('staff act only in their own communities', () => {
    expect(code(() => requireActIn(actor({ roles: ['STAFF'], communities: ['c1'] }), 'c1', ['STAFF']))).toBe('OK');
    expect(code(() => requireActIn(actor({ roles: ['STAFF'], communities: ['c2'] }), 'c1', ['STAFF']))).toBe('FORBIDDEN');
    expect(code(() => requireActIn(actor({ roles: ['RESIDENT'], communities: ['c1'] }), 'c1', ['STAFF']))).toBe('FORBIDDEN');
    expect(code(() => requireActIn(null, 'c1', ['STAFF']))).toBe('UNAUTHENTICATED');
  });

  it('street and district officials read their street or district, nothing else', () => {
    expect(mayRead(actor({ roles: ['STREET_OFFICIAL'], street: '花园路街道' }), C)).toBe(true);
    expect(mayRead(actor({ roles: ['STREET_OFFICIAL'], street: '滨河街道' }), C)).toBe(false);
    expect(mayRead(actor({ roles: ['DISTRICT_OFFICIAL'], district: 'd1' }), C)).toBe(true);
    expect(mayRead(actor({ roles: ['DISTRICT_OFFICIAL'], district: 'd2' }), C)).toBe(false);
    // a resident reads what is public only; staff and representatives read their community
    expect(mayRead(actor({ roles: ['RESIDENT'], communities: ['c1'] }), C)).toBe(false);
    expect(mayRead(actor({ roles: ['REPRESENTATIVE'], communities: ['c1'] }), C)).toBe(true);
    expect(mayRead(actor({ roles: ['STAFF'], communities: ['c1'] }), C)).toBe(true);
    expect(mayRead(null, C)).toBe(false);
    // an official's claims do not widen other roles
    expect(mayRead(actor({ roles: ['STAFF'], street: '花园路街道' }), C)).toBe(false);
  });
});
