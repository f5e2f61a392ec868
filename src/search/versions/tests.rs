use super::*;
use crate::analysis::TermKind;

fn product(name: &str, versions: &[&str]) -> ProductRef {
    ProductRef {
        name: name.to_string(),
        versions: versions.iter().map(|v| v.to_string()).collect(),
    }
}

fn record(products: &[ProductRef]) -> Record {
    Record {
        url: String::new(),
        title: String::new(),
        source: String::new(),
        products: products.iter().map(|p| p.name.clone()).collect(),
        summary: String::new(),
        events: Vec::new(),
        codes: Vec::new(),
        templates: Vec::new(),
        versions: Vec::new(),
        applies: applies_of(products),
        fresh: String::new(),
    }
}

fn pairs(m: &[Mention]) -> Vec<(String, String)> {
    m.iter()
        .map(|m| (m.product.clone(), m.version.clone()))
        .collect()
}

#[test]
fn a_name_without_versions_gives_the_version_it_carries() {
    let a = applies_of(&[
        product("Exchange Server 2016 Enterprise Edition", &[]),
        product("Windows Server 2012 R2 Standard", &[]),
        product("Microsoft Office Outlook 2007", &[]),
        product("Microsoft 365", &[]),
        product("Office 2010", &[]),
        product("IIS", &["8.5", "10.0"]),
    ]);
    let got: Vec<(&str, &str, &str)> = a
        .iter()
        .map(|a| (a.product.as_str(), a.version.as_str(), a.name.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("exchange server", "2016", "Exchange Server"),
            ("windows server", "2012 r2", "Windows Server"),
            ("outlook", "2007", "Outlook"),
            ("office", "2010", "Office"),
            ("iis", "8.5", "IIS"),
            ("iis", "10.0", "IIS"),
        ]
    );
}

#[test]
fn odd_words_are_no_versions_and_do_not_panic() {
    for w in ["1€", "€€", "22h2", "2016", "10.0", "1..2", "365", "1809"] {
        let _ = is_version(w);
    }
    assert!(is_version("22h2") && is_version("10.0") && is_version("7"));
    assert!(!is_version("1€") && !is_version("365") && !is_version("1809"));
}

#[test]
fn releases_match_by_level_and_dotted_prefix() {
    assert!(same_release("2016", "2016 cu23"));
    assert!(same_release("2016 cu23", "2016 cu23"));
    assert!(!same_release("2016 cu22", "2016 cu23"));
    assert!(!same_release("2012", "2012 r2"));
    assert!(same_release("10", "10.0.17763"));
    assert!(same_release("10.0", "10"));
    assert!(!same_release("1.1", "1.18"));
}

#[test]
fn a_query_names_a_known_product_version() {
    let known = known([
        &record(&[product("Exchange Server", &["2016", "2019"])]),
        &record(&[product("Exchange Online", &[])]),
        &record(&[
            product("Windows Server", &["2019"]),
            product("Windows", &["10", "11"]),
        ]),
        &record(&[product("SQL Server 2017 on Windows", &[])]),
    ]);
    let m = |q: &str| pairs(&mentions(q, &known));
    let p = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        m("queue stuck on Exchange 2016 CU23"),
        [p("exchange server", "2016 cu23")]
    );
    assert_eq!(m("Windows Server 2019 DC"), [p("windows server", "2019")]);
    assert_eq!(m("SQL Server 2017 setup fails"), [p("sql server", "2017")]);
    assert_eq!(
        m("OS 10.0.17763.1"),
        [p("windows server", "2019"), p("windows", "10")]
    );
    // Not known, or no product word before the version: nothing.
    assert!(m("Exchange 2013 and Server 2019").is_empty());
    assert!(m("2016 Exchange").is_empty());
}

#[test]
fn a_version_number_is_no_event_unless_keyed() {
    let known = known([&record(&[product("Exchange Server", &["2016"])])]);
    let aliases = crate::signature::events::Aliases::default();
    let events = |q: &str| {
        let mut a = crate::analysis::analyze(q, &aliases);
        drop_version_events(&mut a, &mentions(q, &known));
        a.terms
            .into_iter()
            .filter(|t| TermKind::Event.is(t))
            .collect::<Vec<_>>()
    };
    assert!(events("Exchange 2016 transport").is_empty());
    assert!(!events("Exchange event 2016 on Exchange 2016").is_empty());
}

#[test]
fn the_bonus_favours_the_named_version_and_explains_it() {
    let exchange = |v: &[&str]| record(&[product("Exchange Server", v)]);
    let docs = [exchange(&["2016"]), exchange(&["2019"]), record(&[])];
    let known = known(&docs);
    let named = mentions("Exchange 2016 CU23 queue", &known);
    let boost = crate::search::rank::BOOST;
    let mut why = Vec::new();
    let scores: Vec<f64> = docs
        .iter()
        .map(|d| version_bonus(&named, d, &known, &boost, &mut why))
        .collect();
    assert_eq!(scores, [boost.version, -boost.other_version, 0.0]);
    let details: Vec<&str> = why.iter().map(|m| m.detail.as_str()).collect();
    assert_eq!(
        details,
        [
            "applies to Exchange Server 2016",
            "for Exchange Server 2019, not 2016 cu23"
        ]
    );
}
