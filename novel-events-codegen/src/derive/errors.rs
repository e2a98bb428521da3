//! Every error of one derive, collected and reported together (serde_derive's `Ctxt` idea).

use proc_macro2::{Span, TokenStream};

/// A list of spanned errors.
#[derive(Default)]
pub struct Errors(Vec<syn::Error>);

impl Errors {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error at `span`.
    pub fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        self.0.push(syn::Error::new(span, message));
    }

    /// Records a prepared error.
    pub fn push_error(&mut self, error: syn::Error) {
        self.0.push(error);
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `compile_error!`s of every recorded error.
    pub fn to_compile_errors(&self) -> TokenStream {
        self.0.iter().map(syn::Error::to_compile_error).collect()
    }
}
