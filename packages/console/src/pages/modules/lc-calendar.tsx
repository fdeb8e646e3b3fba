import {
  CALENDAR_ID,
  type CalendarYearAnswer,
  calendarAnswer,
  calendarKey,
  calendarOf,
  calendarYearFromJson,
  civilFromDay,
  dayFromCivil,
  dayOf,
  dayStatus,
  daysInMonth,
  LC_MODULE,
  weekdayOf,
} from '@pujiang/module-lc';
import { useState } from 'preact/hooks';
import { useConnection } from '../../chain/hooks.js';
import { ProofBadge } from '../../components/proof-badge.js';
import { ErrorNote, Loading, Section } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { type ProvenRecord, provenRecord } from './proven-record.js';

const DAY_MS = 86_400_000;
/** Weeks start on Monday, as banks' calendars in China print them. */
const MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0];
const locale = (lang: string) => (lang === 'zh' ? 'zh-CN' : 'en-GB');
/** A day number's civil date as a UTC Date, for formatting names only (the count itself is integer arithmetic). */
const utcDate = (day: number) => new Date(day * DAY_MS);

function weekdayName(weekday: number, lang: string, style: 'short' | 'long'): string {
  // 2024-01-07 was a Sunday: day numbers of that week give each weekday's name.
  const sunday = dayFromCivil(2024, 1, 7);
  return new Intl.DateTimeFormat(locale(lang), { weekday: style, timeZone: 'UTC' }).format(
    utcDate(sunday + weekday),
  );
}

type Kind = 'weekday' | 'weekend' | 'holiday' | 'workday';

/** One month as a table of weeks, each day marked with what the calendar makes of it. */
function Month({ year, month, kindOf }: { year: number; month: number; kindOf: (day: number) => Kind }) {
  const { t, lang } = useI18n();
  const first = dayFromCivil(year, month, 1);
  const lead = MONDAY_FIRST.indexOf(weekdayOf(first));
  const cells: (number | undefined)[] = [
    ...Array.from({ length: lead }, () => undefined),
    ...Array.from({ length: daysInMonth(year, month) }, (_, i) => first + i),
  ];
  while (cells.length % 7 !== 0) cells.push(undefined);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const title = new Intl.DateTimeFormat(locale(lang), { month: 'long', timeZone: 'UTC' }).format(
    utcDate(first),
  );
  return (
    <table class="cal">
      <caption>{title}</caption>
      <thead>
        <tr>
          {MONDAY_FIRST.map((w) => (
            <th scope="col" key={w} abbr={weekdayName(w, lang, 'long')}>
              {weekdayName(w, lang, 'short')}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week, w) => (
          <tr key={w}>
            {week.map((day, i) => {
              if (day === undefined) return <td key={i} class="cal-empty" />;
              const kind = kindOf(day);
              const iso = `${year}-${String(month).padStart(2, '0')}-${String(civilFromDay(day).day).padStart(2, '0')}`;
              return (
                <td key={i} class={`cal-day cal-${kind}`} data-date={iso} data-kind={kind}>
                  {civilFromDay(day).day}
                  {(kind === 'holiday' || kind === 'workday') && (
                    <>
                      <span class="cal-mark" aria-hidden="true">
                        {t(kind === 'holiday' ? 'lc.holidayMark' : 'lc.workdayMark')}
                      </span>
                      <span class="sr-only">{t(kind === 'holiday' ? 'lc.holiday' : 'lc.workday')}</span>
                    </>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A calendar year as the state keeps it: its holidays and make-up working days, listed and on a year's grid. */
function CalendarYearView({ entry }: { entry: CalendarYearAnswer }) {
  const { t, lang } = useI18n();
  const lookup = calendarOf([
    calendarYearFromJson({ year: entry.year, holidays: entry.holidays, workdays: entry.workdays }),
  ]);
  const kindOf = (day: number) => dayStatus(day, lookup).kind;
  const withWeekday = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    return `${iso} (${weekdayName(weekdayOf(dayFromCivil(y, m, d)), lang, 'short')})`;
  };
  return (
    <div data-calendar={`${entry.calendar}/${entry.year}`}>
      <div class="cal-lists">
        <div>
          <h3>{t('lc.holidays', { n: entry.holidays.length })}</h3>
          <ul class="plain tight" data-testid="lc-holidays">
            {entry.holidays.map((d) => (
              <li key={d}>{withWeekday(d)}</li>
            ))}
          </ul>
        </div>
        <div>
          <h3>{t('lc.workdays', { n: entry.workdays.length })}</h3>
          <ul class="plain tight" data-testid="lc-workdays">
            {entry.workdays.map((d) => (
              <li key={d}>{withWeekday(d)}</li>
            ))}
          </ul>
        </div>
      </div>
      <p class="muted small">{t('lc.calendarLegend')}</p>
      <div class="cal-grid">
        {Array.from({ length: 12 }, (_, m) => (
          <Month key={m} year={entry.year} month={m + 1} kindOf={kindOf} />
        ))}
      </div>
    </div>
  );
}

/** A bank's banking-day calendar for a year, decoded from proven state. */
export function CalendarSection({ initial }: { initial: string }) {
  const { t } = useI18n();
  const { light } = useConnection();
  const [calendar, setCalendar] = useState(initial);
  const [year, setYear] = useState(String(civilFromDay(dayOf(BigInt(Date.now()))).year));
  const [shown, setShown] = useState<
    { loading: true } | { error: unknown } | (ProvenRecord<CalendarYearAnswer | null> & { asked: string })
  >();
  const show = async () => {
    const id = calendar.trim().toUpperCase();
    const y = Number(year);
    setShown({ loading: true });
    try {
      const record = await provenRecord(light, {
        module: LC_MODULE,
        name: 'calendar',
        params: { calendar: id, year: String(y) },
        required: [calendarKey(id, y)],
        rebuild: (read) => calendarAnswer(read, id, y),
        fromNode: (result) => (result as { calendar: CalendarYearAnswer | null }).calendar,
      });
      setShown({ ...record, asked: `${id} ${y}` });
    } catch (error) {
      setShown({ error });
    }
  };
  return (
    <Section
      title={t('lc.calendarTitle')}
      actions={shown && 'proof' in shown ? <ProofBadge proof={shown.proof} /> : undefined}
    >
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void show();
        }}
      >
        <label for="lc-calendar-id">{t('lc.calendarId')}</label>
        <input
          id="lc-calendar-id"
          required
          size={10}
          pattern={CALENDAR_ID.source.replace(/^\^|\$$/g, '')}
          value={calendar}
          onInput={(e) => setCalendar(e.currentTarget.value)}
        />
        <label for="lc-calendar-year">{t('lc.year')}</label>
        <input
          id="lc-calendar-year"
          type="number"
          required
          min={1970}
          max={9999}
          value={year}
          onInput={(e) => setYear(e.currentTarget.value)}
        />
        <button type="submit">{t('lc.showCalendar')}</button>
      </form>
      {shown && 'loading' in shown && <Loading />}
      {shown && 'error' in shown && <ErrorNote error={shown.error} />}
      {shown &&
        'proof' in shown &&
        (shown.value ? (
          <CalendarYearView entry={shown.value} />
        ) : (
          <p role="status" data-calendar="none">
            {t('lc.noCalendar', { asked: shown.asked })}
          </p>
        ))}
    </Section>
  );
}
