//! Table definitions shared by both backends. Written to match
//! `migrations/{postgres,sqlite}`; `tests/it/schema_files.rs` checks the columns of the
//! migrated databases against these definitions.

diesel::table! {
    server_secrets (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        display_name -> Text,
        locale -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    companies (id) {
        id -> BigInt,
        name -> Text,
        base_currency -> Text,
        created_at -> Timestamp,
        time_zone -> Text,
        data_version -> BigInt,
        phone_region -> Text,
    }
}

diesel::table! {
    exchange_rates (id) {
        id -> BigInt,
        company_id -> BigInt,
        currency -> Text,
        valid_on -> Date,
        rate_nanos -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    memberships (id) {
        id -> BigInt,
        company_id -> BigInt,
        user_id -> BigInt,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        active_company_id -> BigInt,
        refresh_hash -> Text,
        previous_refresh_hash -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        rotated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        company_id -> BigInt,
        name -> Text,
        prefix -> Text,
        key_hash -> Text,
        scope -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    clients (id) {
        id -> BigInt,
        company_id -> BigInt,
        external_id -> Nullable<Text>,
        name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        attributes -> Text,
        status -> Text,
        archived_at -> Nullable<Timestamp>,
        search_text -> Text,
        last_interaction_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        name_key -> Text,
        phone_e164 -> Nullable<Text>,
    }
}

diesel::table! {
    /// Sales aggregates of each client, one row per client (a trigger adds it with the client).
    client_stats (client_id) {
        client_id -> BigInt,
        company_id -> BigInt,
        sales_count -> BigInt,
        total_spent_minor -> BigInt,
        last_purchase_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sales (id) {
        id -> BigInt,
        company_id -> BigInt,
        client_id -> BigInt,
        external_id -> Nullable<Text>,
        amount_minor -> BigInt,
        currency -> Text,
        sold_at -> Timestamp,
        status -> Text,
        items -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    interactions (id) {
        id -> BigInt,
        company_id -> BigInt,
        client_id -> BigInt,
        kind -> Text,
        body -> Text,
        occurred_at -> Timestamp,
        author_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    saved_reports (id) {
        id -> BigInt,
        company_id -> BigInt,
        author_id -> Nullable<BigInt>,
        name -> Text,
        kind -> Text,
        parameters -> Text,
        snapshot -> Text,
        shared_with_members -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    report_links (id) {
        id -> BigInt,
        company_id -> BigInt,
        saved_report_id -> BigInt,
        token_hash -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    report_jobs (id) {
        id -> BigInt,
        company_id -> BigInt,
        requested_by -> Nullable<BigInt>,
        parameters -> Text,
        state -> Text,
        progress -> Integer,
        step -> Text,
        result -> Nullable<Text>,
        error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    score_runs (company_id) {
        company_id -> BigInt,
        data_version -> BigInt,
        as_of -> Date,
        model -> Text,
        actions -> Text,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    client_scores (company_id, client_id) {
        company_id -> BigInt,
        client_id -> BigInt,
        segment -> Text,
        purchases -> BigInt,
        last_purchase_at -> Timestamp,
        p_alive -> Double,
        expected_purchases_30 -> Double,
        expected_purchases_90 -> Double,
        expected_order_value_minor -> Nullable<BigInt>,
        clv_minor -> Nullable<BigInt>,
        action -> Nullable<Text>,
    }
}

diesel::table! {
    conversations (id) {
        id -> BigInt,
        company_id -> BigInt,
        user_id -> Nullable<BigInt>,
        api_key_id -> Nullable<BigInt>,
        title -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    chat_messages (id) {
        id -> BigInt,
        conversation_id -> BigInt,
        company_id -> BigInt,
        question -> Text,
        language -> Text,
        state -> Text,
        tool -> Nullable<Text>,
        answer -> Nullable<Text>,
        facts -> Nullable<Text>,
        narrative -> Nullable<Text>,
        narrative_status -> Nullable<Text>,
        narrative_model -> Nullable<Text>,
        error -> Nullable<Text>,
        created_at -> Timestamp,
        answered_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(memberships -> companies (company_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_keys -> companies (company_id));
diesel::joinable!(exchange_rates -> companies (company_id));
diesel::joinable!(clients -> companies (company_id));
diesel::joinable!(client_stats -> clients (client_id));
diesel::joinable!(sales -> clients (client_id));
diesel::joinable!(interactions -> clients (client_id));
diesel::joinable!(saved_reports -> companies (company_id));
diesel::joinable!(report_links -> saved_reports (saved_report_id));
diesel::joinable!(report_jobs -> companies (company_id));
diesel::joinable!(score_runs -> companies (company_id));
diesel::joinable!(client_scores -> clients (client_id));
diesel::joinable!(conversations -> companies (company_id));
diesel::joinable!(chat_messages -> conversations (conversation_id));

diesel::allow_tables_to_appear_in_same_query!(
    server_secrets,
    users,
    companies,
    exchange_rates,
    memberships,
    sessions,
    api_keys,
    clients,
    client_stats,
    sales,
    interactions,
    saved_reports,
    report_links,
    report_jobs,
    score_runs,
    client_scores,
    conversations,
    chat_messages,
);
