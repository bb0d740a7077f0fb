create table widgets (
    id   uuid primary key,
    name text not null
);
