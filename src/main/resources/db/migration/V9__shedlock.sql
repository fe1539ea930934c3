-- ShedLock's lock table (store.ClusterLocks): one row per cluster-singleton job, its lease in lock_until. ShedLock
-- writes and compares these with the database's own clock in UTC (usingDbTime: timezone('utc', current_timestamp),
-- a timestamp without time zone, hence the column type), so the hubs' clocks do not matter.
create table shedlock (
    name       varchar(64)  not null primary key,
    lock_until timestamp    not null,
    locked_at  timestamp    not null,
    locked_by  varchar(255) not null
);
