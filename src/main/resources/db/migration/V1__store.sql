-- ANPR Hub store. PostgreSQL is the system of record and the delivery outbox.
-- Reads and raw messages are range-partitioned by day (UTC); the hub creates partitions ahead and
-- retention drops whole expired days (see uk.anprhub.store.Partitions).

-- The original bytes of every message a transport received, kept for the retention window
-- (audit, re-processing after a mapping fix).
create table raw_message (
    id           uuid        not null,
    received_at  timestamptz not null,
    feed         text        not null,
    connector    text,
    transport    text,
    content_type text,
    remote_addr  text,
    filename     text,
    sha256       text        not null,
    payload      bytea       not null,
    primary key (id, received_at)
) partition by range (received_at);

-- One canonical read per row. The unique key makes a repeat of the same read a no-op
-- (ON CONFLICT DO NOTHING), also when two copies race; a partitioned table's unique key must hold
-- the partition column, so the key is (idempotency_key, captured_at): a vendor's repeat of a read
-- carries the same capture time.
create table nas_read (
    id              bigint generated always as identity,
    read_id         uuid        not null,
    idempotency_key text        not null,
    captured_at     timestamptz not null,
    received_at     timestamptz not null,
    stored_at       timestamptz not null default now(),
    camera_id       text        not null,
    feed            text        not null,
    vrm             text        not null,
    raw_id          uuid,
    body            jsonb       not null,
    primary key (id, captured_at),
    unique (idempotency_key, captured_at)
) partition by range (captured_at);

create index nas_read_read_id on nas_read (read_id);

-- Messages and reads that could not be accepted: kept with their raw payload and the reason,
-- re-processable after a mapping or registry fix. Deleted by retention like everything else.
create table quarantine (
    id             bigint generated always as identity primary key,
    received_at    timestamptz not null,
    feed           text        not null,
    connector      text,
    transport      text,
    reason         text        not null,
    detail         text,
    content_type   text,
    remote_addr    text,
    filename       text,
    folder         text,
    headers        jsonb,
    read_index     int,
    payload        bytea       not null,
    status         text        not null default 'QUARANTINED',
    resolved_at    timestamptz,
    resolved_reads int
);

create index quarantine_received on quarantine (received_at);
create index quarantine_reason on quarantine (reason, status);

-- Who did what with personal data: searches, disclosures, replays, re-processing, erasure.
create table audit_log (
    id      bigint generated always as identity primary key,
    at      timestamptz not null default now(),
    actor   text        not null,
    action  text        not null,
    detail  jsonb
);
