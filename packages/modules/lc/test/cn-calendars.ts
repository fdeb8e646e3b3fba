import { calendarYearFromJson } from '../src/calendar.js';

/**
 * China's official schedules, from the State Council General Office notices (国办发明电):
 * for 2025 issued 2024-11-12, for 2026 issued 2025-11-04. `holidays` are the closed weekdays
 * of each break (its weekend days are closed anyway); `workdays` the make-up weekend days.
 */
export const CN_2025 = calendarYearFromJson({
  year: 2025,
  holidays: [
    '2025-01-01', // New Year's Day (Wed), no make-up day
    '2025-01-28', // Spring Festival: Jan 28 (Tue) to Feb 4 (Tue)
    '2025-01-29',
    '2025-01-30',
    '2025-01-31',
    '2025-02-03',
    '2025-02-04',
    '2025-04-04', // Qingming: Apr 4 (Fri) to 6 (Sun)
    '2025-05-01', // Labour Day: May 1 (Thu) to 5 (Mon)
    '2025-05-02',
    '2025-05-05',
    '2025-06-02', // Dragon Boat: May 31 (Sat) to Jun 2 (Mon)
    '2025-10-01', // National Day and Mid-Autumn: Oct 1 (Wed) to 8 (Wed)
    '2025-10-02',
    '2025-10-03',
    '2025-10-06',
    '2025-10-07',
    '2025-10-08',
  ],
  workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
});

export const CN_2026 = calendarYearFromJson({
  year: 2026,
  holidays: [
    '2026-01-01', // New Year: Jan 1 (Thu) to 3 (Sat)
    '2026-01-02',
    '2026-02-16', // Spring Festival: Feb 15 (Sun) to 23 (Mon)
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-23',
    '2026-04-06', // Qingming: Apr 4 (Sat) to 6 (Mon)
    '2026-05-01', // Labour Day: May 1 (Fri) to 5 (Tue)
    '2026-05-04',
    '2026-05-05',
    '2026-06-19', // Dragon Boat: Jun 19 (Fri) to 21 (Sun)
    '2026-09-25', // Mid-Autumn: Sep 25 (Fri) to 27 (Sun)
    '2026-10-01', // National Day: Oct 1 (Thu) to 7 (Wed)
    '2026-10-02',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
});
