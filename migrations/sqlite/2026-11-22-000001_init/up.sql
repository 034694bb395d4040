-- Accounts, companies, API keys, clients, sales, interactions.
-- Kept equivalent to ../../postgres/2026-11-22-000001_init/up.sql; a test compares both.
-- Timestamps are UTC (TIMESTAMP without time zone, written by the server in UTC).
-- Money is an integer number of minor units plus an ISO 4217 code.

CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'en',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    base_currency TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    active_company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    refresh_hash TEXT NOT NULL UNIQUE,
    previous_refresh_hash TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_previous_refresh ON sessions (previous_refresh_hash);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL CHECK (scope IN ('read', 'read_write')),
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_keys_company ON api_keys (company_id, created_at);

CREATE TABLE clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    external_id TEXT,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    archived_at TIMESTAMP,
    search_text TEXT NOT NULL,
    sales_count BIGINT NOT NULL DEFAULT 0,
    total_spent_minor BIGINT NOT NULL DEFAULT 0,
    last_purchase_at TIMESTAMP,
    last_interaction_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, external_id)
);
CREATE INDEX clients_company_name ON clients (company_id, name, id);
CREATE INDEX clients_company_total ON clients (company_id, total_spent_minor, id);
CREATE INDEX clients_company_last_purchase ON clients (company_id, last_purchase_at, id);
CREATE INDEX clients_company_last_interaction ON clients (company_id, last_interaction_at, id);
CREATE INDEX clients_company_created ON clients (company_id, created_at, id);

CREATE TABLE sales (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE RESTRICT,
    external_id TEXT,
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency TEXT NOT NULL,
    sold_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('completed', 'pending', 'cancelled', 'refunded')),
    items TEXT NOT NULL DEFAULT '[]',
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, external_id)
);
CREATE INDEX sales_company_sold ON sales (company_id, sold_at, id);
CREATE INDEX sales_company_amount ON sales (company_id, amount_minor, id);
CREATE INDEX sales_client_sold ON sales (client_id, sold_at, id);
CREATE INDEX sales_company_currency_sold ON sales (company_id, currency, sold_at);

CREATE TABLE interactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'note')),
    body TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX interactions_client ON interactions (client_id, occurred_at, id);
