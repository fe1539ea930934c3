-- Delivery: PostgreSQL is the outbox (docs/delivery.md).
-- Every stored read gets one delivery row per enabled target, inserted in the read's own transaction
-- (uk.anprhub.store.ReadWriter), so a read is eligible exactly when it is committed and no cursor can skip a read
-- whose transaction commits out of id order. Workers claim rows with FOR UPDATE SKIP LOCKED and a lease
-- (next_attempt_at), so threads and hub instances share the work without sending a row twice.

-- The targets reads are queued for, and their pause state (shared by every hub instance on this database).
create table delivery_target (
    id            text primary key,
    enabled       boolean     not null default true,
    paused        boolean     not null default false,
    paused_reason text,
    paused_by     text,
    paused_at     timestamptz
);

insert into delivery_target (id) values ('nas');

-- One row per (target, read). PENDING rows are the backlog; next_attempt_at is both the retry time (back-off) and
-- the claim lease. DELIVERED rows keep when and after how many attempts (lineage); DEAD rows have a dead_letter.
-- Partitioned by capture day like nas_read, so retention drops both together (uk.anprhub.store.Partitions).
create table delivery (
    target          text        not null,
    read_id         uuid        not null,
    captured_at     timestamptz not null,
    read_pk         bigint      not null, -- nas_read.id: (read_pk, captured_at) is nas_read's primary key, so fetching
                                          -- a claimed read is a unique lookup whatever the planner's statistics say
    created_at      timestamptz not null default now(),
    status          text        not null default 'PENDING',
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    delivered_at    timestamptz,
    last_error      text,
    replay_id       uuid,
    primary key (target, read_id, captured_at)
) partition by range (captured_at);

-- Only the backlog is indexed for claiming: delivered rows drop out of it.
create index delivery_pending on delivery (target, created_at) where status = 'PENDING';

-- Reads a target refused individually (or a poison record isolated from a refused batch), with the target's answer.
-- Replay sets status REPLAYED and re-queues the delivery row; retention deletes rows with their reads.
create table dead_letter (
    id          bigint generated always as identity primary key,
    target      text        not null,
    read_id     uuid        not null,
    captured_at timestamptz not null,
    camera_id   text        not null,
    failed_at   timestamptz not null default now(),
    attempts    int         not null,
    reason      text        not null,
    response    text,
    status      text        not null default 'DEAD',
    replayed_at timestamptz,
    replay_id   uuid
);

create index dead_letter_target on dead_letter (target, status, failed_at);
create index dead_letter_captured on dead_letter (captured_at);

-- A store that already holds reads: give delivery the same daily partitions and queue those reads for nas.
do $$
declare
    p record;
begin
    for p in select c.relname, pg_get_expr(c.relpartbound, c.oid) as bound
             from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class t on t.oid = i.inhparent
             where t.relname = 'nas_read' and c.relname ~ '^nas_read_\d{8}$'
    loop
        execute format('create table if not exists %I partition of delivery %s',
                       replace(p.relname, 'nas_read_', 'delivery_'), p.bound);
    end loop;
end $$;

insert into delivery (target, read_id, captured_at, read_pk) select 'nas', read_id, captured_at, id from nas_read;
