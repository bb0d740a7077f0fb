-- The saga specs' table, shaped as PostgresSagaRepositoryExtensions.PostgresRepository documents, with the optional
-- due_at of its dueAt projection (a tally is "due" at its last increment).
create table tallies (
    correlation_id uuid        primary key,
    current_state  text        not null,
    version        integer     not null,
    data           jsonb       not null,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    due_at         timestamptz
);
