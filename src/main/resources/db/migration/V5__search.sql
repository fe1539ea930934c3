-- Search of the local store (docs/search.md). Indexes on the partitioned parent: PostgreSQL builds one per existing
-- daily partition and creates it on every partition made later.
--
-- Cost: instant on an empty store. On a full one each index is built over every row (CREATE INDEX on a partitioned
-- table cannot be CONCURRENTLY: ingest of nas_read waits while it builds). Measured on this project's 2-core machine
-- with 10 M reads (docs/performance.md, "Search"); at 150 M reads expect roughly 15x that. On a store that is
-- already full, build these indexes per partition with CREATE INDEX CONCURRENTLY and ATTACH them before migrating.

-- exact plate, newest first within a time range; text_pattern_ops also serves a plate prefix (LIKE 'AB12%')
create index nas_read_vrm on nas_read (vrm text_pattern_ops, captured_at);

-- fuzzy plate: the OCR-confusion canonical form, exactly uk.anprhub.read.Confusions.sql("vrm")
create index nas_read_vrm_fuzzy on nas_read ((translate(vrm, 'ODQILBSZG', '000118526')) text_pattern_ops, captured_at);

-- a camera's reads in a time range (camera filter, convoy analysis)
create index nas_read_camera on nas_read (camera_id, captured_at);

-- wildcard plate anywhere in the plate (*12C*): trigrams of the canonical form, when pg_trgm is there. The embedded
-- store ships it (its start creates the extension as superuser); a stock PostgreSQL has it in contrib and lets a
-- database owner create it (trusted extension since PostgreSQL 13). Without it, wildcards with a known prefix still
-- use nas_read_vrm_fuzzy and the others scan the time range (docs/search.md).
do $$
declare
    ext_schema text;
begin
    if not exists (select 1 from pg_extension where extname = 'pg_trgm')
       and exists (select 1 from pg_available_extensions where name = 'pg_trgm') then
        begin
            create extension pg_trgm;
        exception when insufficient_privilege then
            raise notice 'pg_trgm not created (no privilege): wildcard searches without a known prefix scan their time range';
        end;
    end if;
    select n.nspname into ext_schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
     where e.extname = 'pg_trgm';
    if ext_schema is not null then
        execute format('create index nas_read_vrm_fuzzy_trgm on nas_read using gin '
                       '((translate(vrm, ''ODQILBSZG'', ''000118526'')) %I.gin_trgm_ops)', ext_schema);
    end if;
end
$$;
