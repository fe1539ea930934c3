-- A message's payload is stored once however many of its reads are refused (issue 10 item 4: one 1 MB message with
-- 100 bad reads used to become 100 copies). The first quarantine row of a message carries the payload; the message's
-- other rows point at that row. All rows of a message share its received_at, so retention (by received_at) deletes
-- them together; the cascade keeps a pointing row from outliving its payload in any other case.
alter table quarantine alter column payload drop not null;
alter table quarantine add column payload_of bigint references quarantine (id) on delete cascade;
alter table quarantine add constraint quarantine_payload_once check ((payload is null) <> (payload_of is null));
create index quarantine_payload_of on quarantine (payload_of) where payload_of is not null;
