-- Issue 12: the audit log becomes tamper-evident and append-only (docs/access.md "The audit log").
--
-- Each row carries prev_hash (the hash of the row before it) and hash = SHA-256 over (prev_hash, id, at, actor,
-- action, source, detail), so editing or deleting a row breaks the chain at that row; `bin/anpr-hub audit verify`
-- recomputes it in Java. Rows are chained in insert order by the database itself: the insert trigger locks the one
-- row of audit_chain_head (the last id and hash), takes the next id and the clock under that lock, and moves the head.
-- Concurrent writers and several hubs on one database therefore queue on that row lock for the instant of the insert
-- and can never fork the chain (under REPEATABLE READ a conflicting writer gets a serialization error instead).

-- One field of the hashed text: its length in bytes, then the value (null: '-'), so no two rows encode alike.
create function audit_field(v text) returns text language sql immutable parallel safe
as $$ select case when v is null then '-;' else octet_length(v)::text || ':' || v || ';' end $$;

-- The row hash (uk.anprhub.audit.AuditChain#hash computes the same in Java; at as microseconds since the epoch).
create function audit_row_hash(prev text, id bigint, at timestamptz, actor text, action text, source text, detail jsonb)
    returns text language sql immutable parallel safe
as $$
select encode(sha256(convert_to(audit_field(prev) || audit_field(id::text)
        || audit_field(((extract(epoch from at) * 1000000)::bigint)::text) || audit_field(actor) || audit_field(action)
        || audit_field(source) || audit_field(detail::text), 'UTF8')), 'hex')
$$;

alter table audit_log add column prev_hash text;
alter table audit_log add column hash text;

-- Ids are handed out by the chain trigger under the head lock, so id order is chain order (an identity would number
-- rows before the lock, and a writer that waited would get a lower id than the row chained before it).
alter table audit_log alter column id drop identity;
create sequence audit_log_seq owned by audit_log.id;
select setval('audit_log_seq', coalesce((select max(id) from audit_log), 0) + 1, false);

create table audit_chain_head (
    only_row  boolean primary key default true check (only_row),
    last_id   bigint not null,
    last_hash text   not null
);

-- The rows written before this migration, chained in id order.
do $$
declare
    r record;
    prev text := repeat('0', 64);
    last bigint := 0;
begin
    for r in select * from audit_log order by id loop
        update audit_log set prev_hash = prev,
               hash = audit_row_hash(prev, r.id, r.at, r.actor, r.action, r.source, r.detail)
         where id = r.id
        returning hash into prev;
        last := r.id;
    end loop;
    insert into audit_chain_head (last_id, last_hash) values (last, prev);
end $$;

alter table audit_log alter column prev_hash set not null;
alter table audit_log alter column hash set not null;

-- SECURITY DEFINER: a hub role that may only INSERT into audit_log (external database, docs/access.md) still moves the
-- head; the function runs as the schema owner.
create function audit_log_chain() returns trigger language plpgsql security definer
    set search_path = pg_catalog, public
as $$
declare
    head audit_chain_head%rowtype;
begin
    select * into strict head from audit_chain_head for update;
    new.id := nextval('audit_log_seq');
    new.at := clock_timestamp(); -- the database's clock: the hub cannot back-date its own audit rows
    new.prev_hash := head.last_hash;
    new.hash := audit_row_hash(new.prev_hash, new.id, new.at, new.actor, new.action, new.source, new.detail);
    update audit_chain_head set last_id = new.id, last_hash = new.hash;
    return new;
end $$;

create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain();

-- Append-only: no UPDATE, no TRUNCATE, no DELETE except the oldest rows through audit_prune. A trigger, so it holds
-- even for the owner of the table (the embedded store's hub role); a superuser can still disable it, and the chain
-- shows what was changed.
create function audit_log_refuse() returns trigger language plpgsql
as $$
begin
    if tg_op = 'DELETE'
            and old.id < coalesce(nullif(current_setting('anpr.audit_prune_before', true), '')::bigint, 0) then
        return old;
    end if;
    raise exception 'audit_log is append-only: % refused', tg_op using errcode = '42501';
end $$;

create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_refuse();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_refuse();

-- Retention of the audit log (anpr.audit.retention): deletes the rows older than `keep` from the start of the chain
-- only (never one in the middle), then records an 'audit.pruned' row naming the first row kept and its prev_hash, which
-- the verifier checks the oldest remaining row against. At least 30 days are always kept.
create function audit_prune(keep interval) returns bigint language plpgsql security definer
    set search_path = pg_catalog, public
as $$
declare
    first_kept bigint;
    first_prev text;
    n bigint;
begin
    if keep < interval '30 days' then
        raise exception 'audit_prune: at least 30 days of audit are kept (asked: %)', keep using errcode = '22023';
    end if;
    perform 1 from audit_chain_head for update; -- no insert between the delete and the record of it
    select id, prev_hash into first_kept, first_prev from audit_log where at >= now() - keep order by id limit 1;
    if first_kept is null then -- every row is older: the newest one stays as the chain's anchor
        select id, prev_hash into first_kept, first_prev from audit_log order by id desc limit 1;
    end if;
    if first_kept is null then
        return 0;
    end if;
    perform set_config('anpr.audit_prune_before', first_kept::text, true);
    delete from audit_log where id < first_kept;
    get diagnostics n = row_count;
    perform set_config('anpr.audit_prune_before', '', true);
    if n > 0 then
        insert into audit_log (actor, action, detail)
        values ('system', 'audit.pruned', jsonb_build_object('deleted', n, 'firstKept', first_kept,
                'firstKeptPrevHash', first_prev, 'keep', keep::text));
    end if;
    return n;
end $$;

-- The auditor's filters (GET /api/v1/audit): time range, with user, action or case reference.
create index audit_log_at on audit_log (at);
create index audit_log_actor_at on audit_log (actor, at);
create index audit_log_action_at on audit_log (action, at);
create index audit_log_reference on audit_log ((detail ->> 'reference'));
