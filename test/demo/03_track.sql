-- Tracking loader for make demo: track the applications table against the
-- agency-wide standard "90% within 30 business days" on the US federal
-- calendar.  cx.track adds the due column, attaches the row trigger and the
-- sweep index, and backfills the status of every existing row (each
-- historical late decision and each open overdue item lands in the log).
ALTER TABLE applications ADD COLUMN cx_status text;
SELECT cx.track('applications', '90% within 30 business days',
                started => 'received_at', finished => 'decided_at', status => 'cx_status',
                calendar => 'us_federal', at_risk => 0.8);
-- what a scheduled sweep would do between writes (nothing right after the backfill)
SELECT * FROM cx.sweep();
