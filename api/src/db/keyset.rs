//! Keyset pagination: a page starts after the (sort value, id) of the last row of the previous
//! page, so deep pages cost the same as the first and concurrent inserts never shift rows.

/// A page asked to start after a key of another sort order (a cursor made for another sort).
#[derive(Debug, thiserror::Error)]
#[error("the cursor does not belong to this sort order")]
pub struct CursorMismatch;

/// Orders a boxed query by a NOT NULL column then the id, starting after `$after`
/// (`Option<(value, id)>`).
macro_rules! keyset {
    ($q:ident, $col:expr, $id:expr, $desc:expr, $after:expr) => {{
        if let Some((v, id)) = $after {
            $q = if $desc {
                $q.filter($col.lt(v.clone()).or($col.eq(v).and($id.lt(id))))
            } else {
                $q.filter($col.gt(v.clone()).or($col.eq(v).and($id.gt(id))))
            };
        }
        $q = if $desc {
            $q.order(($col.desc(), $id.desc()))
        } else {
            $q.order(($col.asc(), $id.asc()))
        };
    }};
}

/// Like `keyset!` for a nullable timestamp: rows without a value come last in both directions
/// (the same on PostgreSQL and SQLite, whose default NULL orders differ).
macro_rules! keyset_nullable {
    ($q:ident, $col:expr, $id:expr, $desc:expr, $after:expr) => {{
        match $after {
            Some((Some(v), id)) => {
                let v: chrono::NaiveDateTime = v;
                let c = $col.assume_not_null();
                let tail = $col.is_null();
                $q = if $desc {
                    $q.filter(c.lt(v).or(c.eq(v).and($id.lt(id))).or(tail))
                } else {
                    $q.filter(c.gt(v).or(c.eq(v).and($id.gt(id))).or(tail))
                };
            }
            Some((None, id)) => {
                $q = $q.filter($col.is_null());
                $q = if $desc {
                    $q.filter($id.lt(id))
                } else {
                    $q.filter($id.gt(id))
                };
            }
            None => {}
        }
        $q = if $desc {
            $q.order(($col.is_null().asc(), $col.desc(), $id.desc()))
        } else {
            $q.order(($col.is_null().asc(), $col.asc(), $id.asc()))
        };
    }};
}
