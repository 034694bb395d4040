-- The assistant's chat: conversations of one user (or one API key) in one company, and their
-- questions with the answers given. Kept equivalent to ../../sqlite/2026-11-30-000007_conversations/up.sql.

CREATE TABLE conversations (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    -- Exactly one of the two: who asks.
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    api_key_id BIGINT REFERENCES api_keys(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((user_id IS NULL) <> (api_key_id IS NULL))
);
CREATE INDEX conversations_user ON conversations (company_id, user_id, updated_at, id);
CREATE INDEX conversations_key ON conversations (company_id, api_key_id, updated_at, id);

CREATE TABLE chat_messages (
    id BIGSERIAL PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('en', 'ru')),
    -- pending: being answered; answered: the template answer stands (a narrative may follow);
    -- failed: no answer could be given (error says why).
    state TEXT NOT NULL CHECK (state IN ('pending', 'answered', 'failed')),
    -- The tool that answered (chat::Tool), once known.
    tool TEXT,
    -- Our template answer, and JSON of chat::Facts: what it was built from.
    answer TEXT,
    facts TEXT,
    -- The model's checked words, and why there are none when there are none.
    narrative TEXT,
    narrative_status TEXT,
    narrative_model TEXT,
    error TEXT,
    created_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP
);
CREATE INDEX chat_messages_conversation ON chat_messages (conversation_id, id);
