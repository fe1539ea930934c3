-- Issue 12: a supervisor's authorisation of one national search reaching further back than the standard window
-- (anpr.access.national-window). Bound to the investigator and the case reference; used once (used_at set when the
-- search is sent, cleared again when NAS could not be reached); expires at valid_until. Docs: docs/access.md.
create table national_authorisation (
    id           text        primary key,
    supervisor   text        not null,
    investigator text        not null,
    reference    text        not null,
    reason       text        not null,
    created_at   timestamptz not null default now(),
    valid_until  timestamptz not null,
    used_at      timestamptz,
    used_by      text
);
