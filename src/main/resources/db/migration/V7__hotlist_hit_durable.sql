-- Hits that cannot be lost (docs/hotlists.md#when-a-hit-cannot-be-stored).

-- A hit is stored at most once per (read, entry): a retried insert whose first try did commit is a no-op. Hits are
-- written once per read and entry already; the delete only guards the index against an older duplicate.
delete from hotlist_hit a using hotlist_hit b
 where a.read_id = b.read_id and a.entry_id = b.entry_id and a.id > b.id;
create unique index hotlist_hit_once on hotlist_hit (read_id, entry_id);

-- Matches whose hit could not be stored after the matcher's retries: parked here (no entry details: those are
-- copied when the hit is finally stored) and retried until stored, by whichever hub claims them first.
create table hotlist_hit_parked (
    id           bigint generated always as identity primary key,
    read_id      uuid        not null,
    vrm          text        not null,       -- the read's VRM, as in hotlist_hit (never logged)
    camera_id    text        not null,
    captured_at  timestamptz not null,
    committed_at timestamptz not null,
    list_id      text        not null,
    entry_id     bigint      not null,
    match        text        not null,
    priority     int         not null,
    parked_at    timestamptz not null default now(),
    unique (read_id, entry_id)
);
