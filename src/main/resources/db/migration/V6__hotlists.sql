-- Hotlists (vehicle-of-interest lists), their hits and the alert webhook outbox (docs/hotlists.md).

-- A list: who owns it, which role may see its hits, how long hits are kept, whether OCR-fuzzy matching is on.
create table hotlist (
    id                 text        primary key,   -- short id (a-z0-9-): also the metric label of anpr_hotlist_hits_total
    owner              text        not null,
    description        text,
    hit_role           text        not null,
    hit_retention_days int         not null default 30,
    fuzzy              boolean     not null default false,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);

-- One entry per (list, vrm): an exact VRM or a wildcard pattern (* any run, ? one character).
create table hotlist_entry (
    id           bigint generated always as identity primary key,
    list_id      text        not null references hotlist (id) on delete cascade,
    vrm          text        not null,
    wildcard     boolean     not null default false,
    category     text        not null,
    priority     int         not null check (priority between 0 and 100),
    markers      text,                       -- free codes, ';'-separated (e.g. PNC warning markers)
    instructions text,
    valid_from   timestamptz,
    expires_at   timestamptz,
    source       text,
    unique (list_id, vrm)
);

-- Bumped in the transaction of every change: each hub compares it to reload its in-memory index.
create table hotlist_version (
    one     boolean primary key default true check (one),
    version bigint  not null
);
insert into hotlist_version values (true, 0);

-- A read that matched an entry. What the officer needs is copied from the entry at match time, so a hit stays
-- readable (and resumable from the alert stream) after the entry is changed or removed.
create table hotlist_hit (
    id           bigint generated always as identity primary key,
    read_id      uuid        not null,
    vrm          text        not null,       -- the read's VRM (the alert shows it; never logged)
    camera_id    text        not null,
    captured_at  timestamptz not null,
    committed_at timestamptz not null,
    list_id      text        not null,
    entry_id     bigint      not null,
    entry_vrm    text        not null,
    match        text        not null,       -- exact, wildcard or fuzzy
    priority     int         not null,
    category     text        not null,
    markers      text,
    instructions text,
    matched_at   timestamptz not null default now(),
    acked_at     timestamptz,
    acked_by     text,
    ack_outcome  text,
    ack_note     text
);
create index hotlist_hit_list on hotlist_hit (list_id, id);
create index hotlist_hit_matched on hotlist_hit (matched_at);

-- Outbox of the alert webhooks: one row per (target, hit), inserted with the hit; the same guarantees as read
-- delivery (retries with back-off, a lease so two hubs never send a row at once, DEAD after max attempts, replay).
create table alert_webhook (
    target          text        not null,
    hit_id          bigint      not null references hotlist_hit (id) on delete cascade,
    status          text        not null default 'PENDING',
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    delivered_at    timestamptz,
    last_error      text,
    primary key (target, hit_id)
);
create index alert_webhook_pending on alert_webhook (target, next_attempt_at) where status = 'PENDING';
