//! Planner statistics on PostgreSQL: batch writes plan their lookups through indexes while a
//! table's statistics are stale, and analyze a table that has grown past them.

use super::{DbConn, Pooled};

impl DbConn {
    /// When the statistics of one of `tables` are stale (the table has more than doubled since
    /// it was last analyzed), plans statements through indexes until `plan_normally`, each
    /// statement afresh rather than by a generic plan the connection cached earlier; returns
    /// whether it did. PostgreSQL only; SQLite plans by its indexes anyway.
    ///
    /// The batch writes wrap their lookups by key in it. Statistics taken while a table was
    /// empty (an ANALYZE before a big first import, or after a truncate) otherwise make every
    /// lookup of every batch scan the whole, growing table until autovacuum analyzes it again
    /// (`bench-ingest --analyze-empty` measures that case; figures in README, Benchmark). Not
    /// always: planning every lookup afresh costs a batch time when the statistics are fine.
    /// `tables` are names from our code, never input.
    pub async fn prefer_indexes_if_stale(&mut self, tables: &[&str]) -> diesel::QueryResult<bool> {
        // reltuples is -1 until the first ANALYZE: the planner then uses the real size.
        let stale = self.stale_statistics(tables, false).await?;
        if stale {
            self.execute_sql(
                "SET LOCAL enable_seqscan = off; SET LOCAL plan_cache_mode = force_custom_plan",
            )
            .await?;
        }
        Ok(stale)
    }

    /// Analyzes `tables` when their statistics are stale (more than doubled since the last
    /// ANALYZE) or missing (never analyzed); returns whether it did. PostgreSQL only.
    ///
    /// Called after each batch write: a server whose autovacuum is off, slow or not yet due
    /// otherwise plans the reports over a freshly imported sales table without statistics —
    /// measured: a general report over 100,000 pushed sales ran past the two-minute request
    /// timeout before an ANALYZE, and took ~0.3 s after. The table doubling rule keeps it to a
    /// logarithmic number of ANALYZEs over an import (each samples at most 30,000 rows).
    /// `tables` are names from our code, never input.
    pub async fn analyze_if_stale(&mut self, tables: &[&str]) -> diesel::QueryResult<bool> {
        let stale = self.stale_statistics(tables, true).await?;
        if stale {
            self.execute_sql(&format!("ANALYZE {}", tables.join(", ")))
                .await?;
        }
        Ok(stale)
    }

    /// Whether one of `tables` has more than doubled in pages since it was last analyzed (or,
    /// with `never_analyzed`, was never analyzed). Always false on SQLite.
    async fn stale_statistics(
        &mut self,
        tables: &[&str],
        never_analyzed: bool,
    ) -> diesel::QueryResult<bool> {
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Stale {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            stale: bool,
        }
        let Pooled::Pg(c) = &mut self.pooled else {
            return Ok(false);
        };
        let names = tables
            .iter()
            .map(|t| format!("'{t}'::regclass"))
            .collect::<Vec<_>>()
            .join(", ");
        let never = if never_analyzed {
            "reltuples < 0 OR "
        } else {
            ""
        };
        let sql = format!(
            "SELECT coalesce(bool_or({never}(reltuples >= 0 AND \
             pg_relation_size(oid) / current_setting('block_size')::bigint > 2 * relpages + 8)), \
             false) AS stale FROM pg_class WHERE oid IN ({names})"
        );
        Ok(diesel::sql_query(sql)
            .get_result::<Stale>(&mut **c)
            .await?
            .stale)
    }

    /// Ends `prefer_indexes_if_stale`.
    pub async fn plan_normally(&mut self) -> diesel::QueryResult<()> {
        match self.pooled {
            Pooled::Pg(_) => {
                self.execute_sql("RESET enable_seqscan; RESET plan_cache_mode")
                    .await
            }
            Pooled::Sqlite(_) => Ok(()),
        }
    }
}
