-- Issue 15 item 4: a message that still fails when re-processed gets its new reason, and ops see how often and
-- when it was last re-run.
alter table quarantine add column reprocess_attempts int not null default 0;
alter table quarantine add column reprocessed_at timestamptz;
