-- Delivery as a cursor over the reads in commit order (issue 17, direction 1; docs/delivery.md "Design").
-- Each read records the id of the transaction that wrote it (xid8: 64 bits, never wraps). A target's cursor is a
-- position (tx, id) in that order; a worker reads forward from it only below the oldest transaction still running
-- (pg_snapshot_xmin(pg_current_snapshot())), so a read whose transaction commits late is read after it commits and
-- never skipped. Delivering a batch costs one lease row and one cursor move, not a row per read; only the exceptions
-- (a read retried on its own, a dead letter, a replay) stay rows in delivery.

-- The column first, then the default: no table rewrite. Reads stored before this migration keep tx null; they are
-- not on any cursor and are delivered by the delivery rows V2 queued for them.
alter table nas_read add column tx xid8;
alter table nas_read alter column tx set default pg_current_xact_id();
-- On the partitioned table: every partition gets it, also those uk.anprhub.store.Partitions creates later.
create index nas_read_tx on nas_read (tx, id);

-- The cursor: every read after (cursor_tx, cursor_id) in (tx, id) order is still to be sent (or is leased in a
-- delivery_batch). A target starts at "now": the reads stored after it was added, as the row outbox queued them.
alter table delivery_target add column cursor_tx xid8, add column cursor_id bigint;
update delivery_target set cursor_tx = pg_current_xact_id(), cursor_id = 9223372036854775807;

-- One row per batch cut from the cursor and not yet finished: the range (from, to] in (tx, id) order, how many
-- times it was leased, and until when (the lease after a claim; the retry time after a failed send). A hub that
-- dies with a batch in flight leaves the row: the batch is sent again when lease_until passes. Finished batches
-- are deleted; a batch whose reads retention dropped is found empty and deleted.
create table delivery_batch (
    id          bigint generated always as identity primary key,
    target      text        not null,
    from_tx     xid8        not null,
    from_id     bigint      not null,
    to_tx       xid8        not null,
    to_id       bigint      not null,
    attempts    int         not null default 1,
    lease_until timestamptz not null,
    created_at  timestamptz not null default now(),
    last_error  text
);

create index delivery_batch_due on delivery_batch (target, lease_until);
