//! Following an answer as it is written ([`follow`]): live from the task writing it, or from
//! the database when another process writes it or it is done.

use super::*;

enum Follow {
    Live(watch::Receiver<Live>, bool, usize),
    Poll(i64, std::time::Instant),
    End,
}

/// The answer to message `id` as it is written: the template answer, checked narrative
/// deltas, then a last event with the facts and the stored texts. A finished answer comes as
/// one last event.
///
/// # Errors
/// NOT_FOUND when the message is not the asker's.
pub async fn follow(
    app: &Arc<App>,
    asker: Asker,
    id: i64,
) -> ApiResult<impl Stream<Item = AnswerEvent> + use<>> {
    let live = lock(&app.chat.live).get(&id).cloned();
    let mut conn = app.db.read().await?;
    let row = rows::message(&mut conn, asker.company_id, asker.owner, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    drop(conn);
    let app = app.clone();
    let company_id = asker.company_id;
    let start = match live {
        Some(rx) => Follow::Live(rx, false, 0),
        None if row.state == MessageState::Pending
            || (row.state == MessageState::Answered && row.narrative_status.is_none()) =>
        {
            Follow::Poll(id, std::time::Instant::now())
        }
        None => {
            return Ok(futures::stream::once(async move { AnswerEvent::last(&row) }).boxed_any());
        }
    };
    Ok(futures::stream::unfold(start, move |state| {
        let app = app.clone();
        async move {
            match state {
                Follow::End => None,
                Follow::Live(mut rx, mut sent_answer, mut sent) => loop {
                    let now = rx.borrow_and_update().clone();
                    let answer = (!sent_answer).then(|| now.answer.clone()).flatten();
                    let delta = now.shown.get(sent..).unwrap_or_default().to_owned();
                    sent_answer |= answer.is_some();
                    sent = now.shown.len();
                    // What was written is sent before the end, so the deltas add up.
                    if answer.is_some() || !delta.is_empty() {
                        return Some((
                            AnswerEvent::step(id, answer, delta),
                            Follow::Live(rx, sent_answer, sent),
                        ));
                    }
                    if now.done {
                        let event = stored_last(&app, company_id, id).await;
                        return Some((event, Follow::End));
                    }
                    if rx.changed().await.is_err() {
                        // The writer is gone: what it stored is the answer.
                        let event = stored_last(&app, company_id, id).await;
                        return Some((event, Follow::End));
                    }
                },
                Follow::Poll(id, since) => loop {
                    // Written by another process: the stored answer once it is complete.
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    let done = match app.db.read().await {
                        Ok(mut conn) => rows::message_of_company(&mut conn, company_id, id)
                            .await
                            .ok()
                            .flatten()
                            .filter(|r| {
                                r.state == MessageState::Failed || r.narrative_status.is_some()
                            }),
                        Err(_) => None,
                    };
                    if let Some(row) = done {
                        return Some((AnswerEvent::last(&row), Follow::End));
                    }
                    if since.elapsed() > FOLLOW_TIMEOUT {
                        let mut event = AnswerEvent::step(id, None, String::new());
                        event.done = true;
                        event.error = Some("the answer took too long; ask again".to_owned());
                        return Some((event, Follow::End));
                    }
                },
            }
        }
    })
    .boxed_any())
}

async fn stored_last(app: &Arc<App>, company_id: i64, id: i64) -> AnswerEvent {
    let row = match app.db.read().await {
        Ok(mut conn) => rows::message_of_company(&mut conn, company_id, id)
            .await
            .ok()
            .flatten(),
        Err(_) => None,
    };
    match row {
        Some(row) => AnswerEvent::last(&row),
        None => {
            let mut event = AnswerEvent::step(id, None, String::new());
            event.done = true;
            event.error = Some("the conversation was deleted".to_owned());
            event
        }
    }
}

/// A boxed stream, so the two branches of [`follow`] have one type.
trait BoxedAny: Stream<Item = AnswerEvent> + Send + Sized + 'static {
    fn boxed_any(self) -> std::pin::Pin<Box<dyn Stream<Item = AnswerEvent> + Send>> {
        Box::pin(self)
    }
}
impl<S: Stream<Item = AnswerEvent> + Send + 'static> BoxedAny for S {}
