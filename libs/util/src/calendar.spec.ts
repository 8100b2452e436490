import { WorkingDayCalendar, chinaCivilDate } from './calendar';

describe('WorkingDayCalendar (R-P8)', () => {
  const cal = new WorkingDayCalendar();

  it('R-P8 a national holiday is not a working day, an adjusted weekend day (调休) is', () => {
    expect(cal.isWorkingDay('2026-10-01')).toBe(false); // National Day
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Saturday made a working day
    expect(cal.isWorkingDay('2026-11-28')).toBe(false); // ordinary Saturday
    expect(cal.isWorkingDay('2026-11-26')).toBe(true); // ordinary Thursday
  });

  it('R-P3 five working days after a Friday is the next Friday', () => {
    expect(cal.addWorkingDays('2026-11-20', 5)).toEqual({ date: '2026-11-27', approximate: false });
  });

  it('R-P8 counting across the National Day holiday skips it', () => {
    // adopted 30 September 2026: Oct 1-7 holiday (per the official arrangement in the data)
    const due = cal.addWorkingDays('2026-09-30', 5).date;
    expect(due > '2026-10-08').toBe(true);
    expect(cal.workingDaysBetween('2026-09-30', due)).toBe(5);
  });

  it('R-P8 a year without official data is counted Monday–Friday and flagged approximate', () => {
    const year = Math.max(...cal.coveredYears()) + 1;
    // the first Friday of June of the first year the data does not cover
    let friday = new Date(Date.UTC(year, 5, 1));
    while (friday.getUTCDay() !== 5) friday = new Date(friday.getTime() + 86400_000);
    const monday = new Date(friday.getTime() + 3 * 86400_000).toISOString().slice(0, 10);
    expect(cal.addWorkingDays(friday.toISOString().slice(0, 10), 1)).toEqual({ date: monday, approximate: true });
  });

  it('R-P8 supplied calendar data overrides and marks the year covered', () => {
    const c = new WorkingDayCalendar([{ date: '2031-01-01', work: false }]);
    expect(c.isWorkingDay('2031-01-01')).toBe(false);
    expect(c.isCovered('2031-05-05')).toBe(true);
  });

  it('rejects malformed dates', () => {
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-01-01', -1)).toThrow(RangeError);
  });

  it('takes civil dates in China Standard Time', () => {
    expect(chinaCivilDate(new Date('2026-11-25T17:30:00Z'))).toBe('2026-11-26');
  });
});
