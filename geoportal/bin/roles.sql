-- The geoportal's two database roles and its database, made by the postgres superuser. Idempotent.
--   psql -v owner=NAME -v owner_password=… -v app=NAME -v app_password=… -v db=NAME <roles.sql
-- Run by geoportal/bin/setup-services.sh (make demo, make test, the bench) and docker/initdb.sh.
--
-- owner: LOGIN, not a superuser; owns the database and every table (migrations, sample data);
--        CREATEDB so that the test runner can create its test database. A role of that name left
--        SUPERUSER by an earlier set-up is demoted here.
-- app:   LOGIN and nothing else: the server's role; its rights are the grants the owner makes after
--        each migrate (geoportal/grants.py). The owner is a member of it, to hand over and drop the
--        app's scratch tables (schema layers_staging).
-- postgis: created by this superuser in template1 (so the owner's test and bench databases have it)
--        and in the database, since CREATE EXTENSION postgis needs a superuser.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I', :'owner') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I', :'app') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
SELECT rolsuper AS owner_was_superuser FROM pg_roles WHERE rolname = :'owner' \gset
\if :owner_was_superuser
\echo roles.sql: role :owner was a SUPERUSER (an earlier set-up); it is now an ordinary owner role
\endif
ALTER ROLE :"owner" LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_password';
ALTER ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
-- The app must never act as the owner; the owner may act as the app.
SELECT format('REVOKE %I FROM %I', :'owner', :'app') WHERE pg_has_role(:'app', :'owner', 'MEMBER') \gexec
SELECT format('GRANT %I TO %I', :'app', :'owner') WHERE NOT pg_has_role(:'owner', :'app', 'MEMBER') \gexec

SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'owner') \gexec

\connect template1
CREATE EXTENSION IF NOT EXISTS postgis;
\connect :"db"
CREATE EXTENSION IF NOT EXISTS postgis;
-- A database made by an earlier set-up belongs to another role (often a superuser): its schemas, tables,
-- views, sequences and functions go to the owner (extension members, such as spatial_ref_sys, stay).
SELECT format('ALTER SCHEMA %I OWNER TO %I', nspname, :'owner') FROM pg_namespace
  WHERE nspname IN ('public', 'layers_staging') AND nspowner <> (SELECT oid FROM pg_roles WHERE rolname = :'owner')
    AND nspowner <> 'pg_database_owner'::regrole \gexec
SELECT format('ALTER %s %s OWNER TO %I', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                          ELSE 'TABLE' END, c.oid::regclass, :'owner')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
    AND c.relowner NOT IN (SELECT oid FROM pg_roles WHERE rolname = :'owner')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') \gexec
SELECT format('ALTER SEQUENCE %s OWNER TO %I', c.oid::regclass, :'owner')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'S'
    AND c.relowner NOT IN (SELECT oid FROM pg_roles WHERE rolname = :'owner')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('e', 'a', 'i')) \gexec
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'public' AND p.proowner NOT IN (SELECT oid FROM pg_roles WHERE rolname = :'owner')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') \gexec
-- The Sahara datum shift (plans/migrations/0011) is written into spatial_ref_sys, a postgis extension table,
-- by the owner's migration. UPDATE on it goes to one fixed NOLOGIN group role, granted in template1 too (the
-- test databases are made from it) and in the database; owners are members. Granting the owner itself in
-- template1 would copy a grant naming that owner into every database later made from template1 (other
-- projects' too), and the role could then not be dropped.
SELECT 'CREATE ROLE geoportal_spatial_ref_sys NOLOGIN'
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geoportal_spatial_ref_sys') \gexec
GRANT geoportal_spatial_ref_sys TO :"owner";
\connect template1
REVOKE UPDATE ON spatial_ref_sys FROM :"owner";
GRANT UPDATE ON spatial_ref_sys TO geoportal_spatial_ref_sys;
\connect :"db"
REVOKE UPDATE ON spatial_ref_sys FROM :"owner";
GRANT UPDATE ON spatial_ref_sys TO geoportal_spatial_ref_sys;
