//! The highlighted HTML: text escaped, runs of one kind in a `<span>`.

/// What a run of code is, as the class kb.css colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Comment,
    String,
    /// Numbers and the language's constants (`$true`, `null`).
    Number,
    Keyword,
    Variable,
    /// Commands, cmdlets, called functions, labels.
    Function,
    /// A PowerShell or command-line parameter (`-Name`).
    Param,
    /// Markup tags and INI sections.
    Tag,
    /// Markup attributes, JSON keys, INI and registry value names.
    Attr,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Kind::Comment => "hl-comment",
            Kind::String => "hl-string",
            Kind::Number => "hl-number",
            Kind::Keyword => "hl-keyword",
            Kind::Variable => "hl-variable",
            Kind::Function => "hl-function",
            Kind::Param => "hl-param",
            Kind::Tag => "hl-tag",
            Kind::Attr => "hl-attr",
        }
    }
}

/// HTML being written for one block.
pub(super) struct Out {
    html: String,
}

impl Out {
    pub(super) fn with_capacity(code_len: usize) -> Out {
        Out {
            html: String::with_capacity(code_len + code_len / 2 + 64),
        }
    }

    /// Text that is not highlighted.
    pub(super) fn plain(&mut self, text: &str) {
        crate::escape::escape_html_into(&mut self.html, text);
    }

    /// `text` as a run of `kind`; nothing for empty text.
    pub(super) fn span(&mut self, kind: Kind, text: &str) {
        if text.is_empty() {
            return;
        }
        self.html.push_str("<span class=\"");
        self.html.push_str(kind.class());
        self.html.push_str("\">");
        crate::escape::escape_html_into(&mut self.html, text);
        self.html.push_str("</span>");
    }

    pub(super) fn finish(self) -> String {
        self.html
    }
}
