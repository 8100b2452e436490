/**
 * Working-day calendar (工作日) for R-P8: weekends and public holidays are not working days,
 * adjusted working days (调休) are. The holiday data is not typed by hand: it comes from the
 * maintained `chinese-days` package, which tracks the State Council's annual notices.
 *
 * Years the package does not cover yet (the State Council publishes next year's arrangement in
 * November or December) fall back to "Monday to Friday" and are reported as approximate, so a
 * caller can say so instead of pretending to know. Extra years can be supplied as data
 * (`extraDays`) until the package catches up.
 */
import chineseDays from 'chinese-days';

/** A calendar date as `YYYY-MM-DD` (no time zone: working days are civil dates in China). */
export type CivilDate = string;

export interface DayOverride {
  /** `YYYY-MM-DD` */
  date: CivilDate;
  /** true for an adjusted working day 调休 on a weekend, false for a holiday */
  work: boolean;
}

export interface WorkingDayResult {
  date: CivilDate;
  /** true when some day counted lies in a year without official holiday data */
  approximate: boolean;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function coveredYearsFromPackage(): Set<number> {
  const years = new Set<number>();
  const range = chineseDays.getHolidaysInRange('2004-01-01', '2040-12-31', false) as string[];
  for (const d of range) years.add(Number(d.slice(0, 4)));
  return years;
}

export class WorkingDayCalendar {
  private readonly overrides = new Map<CivilDate, boolean>();
  private readonly covered: Set<number>;

  constructor(extraDays: DayOverride[] = []) {
    this.covered = coveredYearsFromPackage();
    for (const d of extraDays) {
      assertCivilDate(d.date);
      this.overrides.set(d.date, d.work);
      this.covered.add(Number(d.date.slice(0, 4)));
    }
  }

  /** Years with official holiday data (package or supplied overrides). */
  coveredYears(): number[] {
    return [...this.covered].sort((a, b) => a - b);
  }

  isCovered(date: CivilDate): boolean {
    return this.covered.has(Number(date.slice(0, 4)));
  }

  isWorkingDay(date: CivilDate): boolean {
    assertCivilDate(date);
    const override = this.overrides.get(date);
    if (override !== undefined) return override;
    if (this.isCovered(date)) return chineseDays.isWorkday(date);
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    return dow !== 0 && dow !== 6;
  }

  /**
   * The date `n` working days after `from` (the day itself is not counted): a notice due
   * "within 5 working days of adoption" on a Friday is due the following Friday.
   */
  addWorkingDays(from: CivilDate, n: number): WorkingDayResult {
    assertCivilDate(from);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`);
    let date = from;
    let approximate = false;
    let left = n;
    while (left > 0) {
      date = nextDay(date);
      if (!this.isCovered(date)) approximate = true;
      if (this.isWorkingDay(date)) left -= 1;
    }
    return { date, approximate };
  }

  /** Working days strictly after `from` up to and including `to` (0 when `to` <= `from`). */
  workingDaysBetween(from: CivilDate, to: CivilDate): number {
    assertCivilDate(from);
    assertCivilDate(to);
    let count = 0;
    for (let d = nextDay(from); d <= to; d = nextDay(d)) if (this.isWorkingDay(d)) count += 1;
    return count;
  }
}

export function assertCivilDate(date: string): void {
  if (!DATE_RE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || toCivilDate(new Date(`${date}T00:00:00Z`)) !== date) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  }
}

export function nextDay(date: CivilDate): CivilDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return toCivilDate(d);
}

/** The civil date of an instant in China Standard Time (UTC+8, no daylight saving). */
export function chinaCivilDate(instant: Date): CivilDate {
  return toCivilDate(new Date(instant.getTime() + 8 * 3600_000));
}

function toCivilDate(d: Date): CivilDate {
  return d.toISOString().slice(0, 10);
}
