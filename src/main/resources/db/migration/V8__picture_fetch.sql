-- Pictures a camera keeps and only references ({"url": ...}): one row per stored read and picture kind, written in
-- the read's own transaction, fetched later by PictureFetcher. A fetched picture's row is deleted; one that failed
-- after its last attempt stays with state 'failed' and its reason until retention removes it with its read.
create table picture_fetch (
    read_id     uuid        not null,
    captured_at timestamptz not null,
    kind        text        not null,           -- plate | overview
    connector   text,
    remote_addr text,                           -- the sender of the read: the only host fetched from unless listed
    url         text        not null,
    attempts    int         not null default 0,
    next_at     timestamptz not null default now(),
    state       text        not null default 'pending', -- pending | failed
    reason      text,
    primary key (read_id, kind)
);

create index picture_fetch_due on picture_fetch (next_at) where state = 'pending';
