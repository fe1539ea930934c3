-- Source address of the request behind each audit row (issue 10, item 13); null for the hub's own actions.
alter table audit_log add column source text;
