use super::{decode_entities, strip_comments, Visible};

fn visible(parts: &[&str]) -> String {
    let mut v = Visible::default();
    parts.iter().map(|p| v.html(p)).collect()
}

#[test]
fn comments_and_script_and_style_contents_are_not_visible() {
    let seen = visible(&[
        "<!-- INTERNAL: admin password hunter2 -->",
        "<p>shown</p><script>var secret = 1;</script>",
        "<STYLE>.x { content: 'styled' }</STYLE> after",
    ]);
    assert!(seen.contains("shown") && seen.contains("after"), "{seen}");
    for hidden in ["INTERNAL", "hunter2", "secret", "styled", "<p>", "script"] {
        assert!(!seen.contains(hidden), "{hidden} in {seen:?}");
    }
}

#[test]
fn a_comment_spanning_events_hides_the_text_between() {
    let mut v = Visible::default();
    assert_eq!(v.html("before <!-- open").trim(), "before");
    assert_eq!(v.text("inside the comment"), "");
    assert_eq!(v.html("still --> after").trim(), "after");
    assert_eq!(v.text("text"), "text");
}

#[test]
fn a_less_than_sign_that_opens_no_tag_is_text() {
    assert_eq!(visible(&["a < b"]), "a < b");
}

#[test]
fn character_references_in_urls_are_decoded_as_a_browser_does() {
    assert_eq!(decode_entities("&#92;&#x5C;host&sol;x"), "\\\\host/x");
    assert_eq!(decode_entities("a&amp;b&unknown;"), "a&b&unknown;");
}

#[test]
fn comments_are_stripped_from_trusted_html() {
    assert_eq!(
        strip_comments("<p>a<!-- secret -->b</p><!-- open"),
        "<p>ab</p>"
    );
    assert_eq!(
        strip_comments("<code>&lt;!-- shown --&gt;</code>"),
        "<code>&lt;!-- shown --&gt;</code>"
    );
}
