-- Business calendars: weekend days, time zone, US federal holidays
-- (5 U.S.C. 6103) and the user's own closures.

CREATE TABLE cx.calendars (
	name text PRIMARY KEY CHECK (name <> ''),
	time_zone text NOT NULL DEFAULT 'America/New_York',
	weekend integer[] NOT NULL DEFAULT '{6,7}'
		CONSTRAINT weekend_iso_days_not_all CHECK (weekend <@ '{1,2,3,4,5,6,7}' AND NOT weekend @> '{1,2,3,4,5,6,7}'),
	federal_holidays boolean NOT NULL DEFAULT false,
	cutoff time CONSTRAINT cutoff_after_midnight CHECK (cutoff > time '00:00'),
	description text
);
COMMENT ON TABLE cx.calendars IS 'business calendars: weekend days (ISO 1 = Monday .. 7 = Sunday), time zone, US federal holidays or not, receipt cut-off time';

CREATE TABLE cx.holidays (
	calendar text NOT NULL REFERENCES cx.calendars ON UPDATE CASCADE ON DELETE CASCADE,
	day date NOT NULL CHECK (pg_catalog.isfinite(day)),
	name text NOT NULL DEFAULT 'closure',
	PRIMARY KEY (calendar, day)
);
COMMENT ON TABLE cx.holidays IS 'closures of a calendar besides its weekend days and (if enabled) the US federal holidays';

INSERT INTO cx.calendars (name, time_zone, weekend, federal_holidays, cutoff, description)
VALUES ('us_federal', 'America/New_York', '{6,7}', true, NULL,
		'US federal government: Monday to Friday, legal public holidays of 5 U.S.C. 6103 as observed, Eastern time');

-- pg_dump keeps the user's calendars and every closure; the built-in row is
-- created by CREATE EXTENSION itself
SELECT pg_catalog.pg_extension_config_dump('cx.calendars', 'WHERE name <> ''us_federal''');
SELECT pg_catalog.pg_extension_config_dump('cx.holidays', '');

GRANT SELECT ON cx.calendars, cx.holidays TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON cx.calendars, cx.holidays TO @extowner@;

CREATE FUNCTION cx._calendars_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'cx_calendars_check' LANGUAGE C;
CREATE TRIGGER calendars_check BEFORE INSERT OR UPDATE OR DELETE ON cx.calendars
	FOR EACH ROW EXECUTE FUNCTION cx._calendars_check();
CREATE TRIGGER calendars_no_truncate BEFORE TRUNCATE ON cx.calendars
	FOR EACH STATEMENT EXECUTE FUNCTION cx._calendars_check();

-- every change to either table drops the calendar cache of every backend
CREATE FUNCTION cx._calendar_invalidate() RETURNS trigger
	AS 'MODULE_PATHNAME', 'cx_calendar_invalidate' LANGUAGE C;
CREATE TRIGGER calendars_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cx.calendars
	FOR EACH STATEMENT EXECUTE FUNCTION cx._calendar_invalidate();
CREATE TRIGGER holidays_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cx.holidays
	FOR EACH STATEMENT EXECUTE FUNCTION cx._calendar_invalidate();

CREATE FUNCTION cx.us_federal_holidays(year integer, OUT day date, OUT name text, OUT actual date)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'cx_us_federal_holidays' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 11;
COMMENT ON FUNCTION cx.us_federal_holidays(integer) IS 'legal public holidays of 5 U.S.C. 6103 whose legal date is in the year: observed day, name, legal date';

CREATE FUNCTION cx.business_days(start timestamptz, finish timestamptz, calendar text DEFAULT 'us_federal')
	RETURNS integer
	AS 'MODULE_PATHNAME', 'cx_business_days' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.business_days(timestamptz, timestamptz, text) IS 'business days from receipt (day 0) to finish, in the calendar''s time zone';

CREATE FUNCTION cx.business_days(start date, finish date, calendar text DEFAULT 'us_federal')
	RETURNS integer
	AS 'MODULE_PATHNAME', 'cx_business_days_date' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.business_days(date, date, text) IS 'business days d with start <= d < finish (negative when finish < start)';

CREATE FUNCTION cx.add_business_days(ts timestamptz, n integer, calendar text DEFAULT 'us_federal')
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'cx_add_business_days' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.add_business_days(timestamptz, integer, text) IS 'end (last microsecond, calendar time zone) of the n-th business day after receipt';

CREATE FUNCTION cx.add_business_days(day date, n integer, calendar text DEFAULT 'us_federal')
	RETURNS date
	AS 'MODULE_PATHNAME', 'cx_add_business_days_date' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.add_business_days(date, integer, text) IS 'the n-th business day after the first business day on or after day';

CREATE FUNCTION cx.is_business_day(day date, calendar text DEFAULT 'us_federal')
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'cx_is_business_day' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.is_business_day(date, text) IS 'is the day neither a weekend day nor a closure of the calendar?';

CREATE FUNCTION cx.due_at(started timestamptz, std cx.standard, calendar text DEFAULT 'us_federal')
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'cx_due_at' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cx.due_at(timestamptz, cx.standard, text) IS 'due time under a standard: start + allowance, or end of the n-th business day';

-- The closures of a calendar between two dates (inclusive) that fall on its
-- working days: federal holidays as observed (if the calendar has them) and
-- the rows of cx.holidays.  Bound at creation time (no search_path lookups).
CREATE FUNCTION cx.calendar_closures(calendar text, from_day date, to_day date)
	RETURNS TABLE (day date, name text)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT d.day, pg_catalog.string_agg(d.name, '; ' ORDER BY d.src, d.name)
	FROM cx.calendars c,
		 LATERAL (SELECT h.day, h.name, 1 AS src
				  FROM pg_catalog.generate_series(pg_catalog.date_part('year', $2)::integer,
												  pg_catalog.date_part('year', $3)::integer + 1) AS y,
					   cx.us_federal_holidays(y) AS h
				  WHERE c.federal_holidays
				  UNION ALL
				  SELECT u.day, u.name, 2 AS src FROM cx.holidays u WHERE u.calendar OPERATOR(pg_catalog.=) c.name) AS d
	WHERE c.name OPERATOR(pg_catalog.=) $1
	  AND d.day OPERATOR(pg_catalog.>=) $2 AND d.day OPERATOR(pg_catalog.<=) $3
	  AND NOT (pg_catalog.date_part('isodow', d.day)::integer OPERATOR(pg_catalog.=) ANY (c.weekend))
	GROUP BY d.day
	ORDER BY d.day;
END;
COMMENT ON FUNCTION cx.calendar_closures(text, date, date) IS 'closed working days of a calendar between two dates: federal holidays and user closures';
