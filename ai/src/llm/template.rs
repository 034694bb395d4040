//! The chat template from the file (`tokenizer.chat_template`, Jinja as Hugging Face writes it),
//! rendered with `minijinja` plus its Python-compatibility methods (`.strip()`, `.split()`…).
//! A file without one gets ChatML. Rendering is bounded (fuel), so a hostile template cannot
//! loop forever.

use minijinja::{Environment, Error, ErrorKind, context};
use serde::Serialize;

use super::LlmError;

/// ChatML, for files that carry no template.
const CHATML: &str = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

/// Instructions the template may run per render: ample for real templates (a few thousand).
const FUEL: u64 = 200_000;

/// Who says a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

/// One message of a conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: Role::System,
            content: content.into(),
        }
    }

    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: content.into(),
        }
    }
}

/// A compiled chat template.
pub struct ChatTemplate {
    env: Environment<'static>,
    bos: String,
    eos: String,
}

impl ChatTemplate {
    /// Compiles `source` (the file's template, or ChatML when `None`). `bos` and `eos` are the
    /// spellings of the file's BOS and EOS tokens, which templates may print.
    ///
    /// Errors: [`LlmError::BadFile`] when the template does not compile.
    pub fn new(source: Option<&str>, bos: String, eos: String) -> Result<Self, LlmError> {
        let mut env = Environment::new();
        env.set_fuel(Some(FUEL));
        env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
        env.add_function(
            "raise_exception",
            |message: String| -> Result<String, Error> {
                Err(Error::new(ErrorKind::InvalidOperation, message))
            },
        );
        env.add_template_owned("chat", source.unwrap_or(CHATML).to_owned())
            .map_err(|e| LlmError::BadFile(format!("chat template: {e}")))?;
        Ok(Self { env, bos, eos })
    }

    /// The prompt text for `messages`, ending with the assistant's opening.
    ///
    /// Errors: [`LlmError::Template`] when the template rejects the conversation.
    pub fn render(&self, messages: &[ChatMessage]) -> Result<String, LlmError> {
        let template = self
            .env
            .get_template("chat")
            .map_err(|e| LlmError::Template(e.to_string()))?;
        template
            .render(context! {
                messages => minijinja::Value::from(minijinja::value::Serde(messages)),
                add_generation_prompt => true,
                bos_token => self.bos.as_str(),
                eos_token => self.eos.as_str(),
            })
            .map_err(|e| LlmError::Template(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chatml_without_a_template() -> Result<(), LlmError> {
        let template = ChatTemplate::new(None, String::new(), String::new())?;
        let text = template.render(&[ChatMessage::system("Be brief."), ChatMessage::user("Hi")])?;
        assert_eq!(
            text,
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        );
        Ok(())
    }

    #[test]
    fn python_methods_and_raise_exception() -> Result<(), LlmError> {
        let source = "{% if messages[0].role != 'system' %}{{ raise_exception('system first') }}{% endif %}{% for m in messages %}[{{ m.content.strip() }}]{% endfor %}";
        let template = ChatTemplate::new(Some(source), String::new(), String::new())?;
        assert_eq!(
            template.render(&[ChatMessage::system("  a  "), ChatMessage::user("b\n")])?,
            "[a][b]"
        );
        let err = template.render(&[ChatMessage::user("b")]);
        assert!(matches!(err, Err(LlmError::Template(m)) if m.contains("system first")));
        Ok(())
    }

    #[test]
    fn an_endless_template_runs_out_of_fuel() -> Result<(), LlmError> {
        let source =
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";
        let template = ChatTemplate::new(Some(source), String::new(), String::new())?;
        assert!(matches!(
            template.render(&[ChatMessage::user("b")]),
            Err(LlmError::Template(_))
        ));
        Ok(())
    }
}
