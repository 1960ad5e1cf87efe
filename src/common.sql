-- Shared declarations.  The schema cx comes from the control file; every
-- role may use what lives in it (functions are PUBLIC by default, tables
-- carry their own grants).
GRANT USAGE ON SCHEMA cx TO PUBLIC;
