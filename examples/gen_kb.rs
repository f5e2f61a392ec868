//! A benchmark knowledge base: `--n` troubleshooting articles and the shared
//! fixes they cite, generated from a seed so every run writes the same bytes.
//!
//! ```sh
//! cargo run --release --example gen_kb -- --n 10000 --out /tmp/kb10k [--seed 1]
//! cd /tmp/kb10k && kbgen build
//! ```
//!
//! `OUT/kb.toml` and `OUT/kb/` are written (`OUT/kb/` must not exist yet, or
//! be a folder this generator wrote). Articles are 3–8 KB, each with front
//! matter (title, products, tags, signatures with event source and ID,
//! messages with placeholders, codes in several spellings, fixes, related),
//! Symptoms / Cause / Resolution sections, an Event Viewer block and an
//! error message in code blocks, numbered steps, a table and relative links
//! to other articles and fixes. The vocabulary is a core of real IT words
//! plus several thousand pseudo-words, drawn with a Zipf-like skew, so the
//! search index has the long tail a real knowledge base has. The output
//! passes `kbgen check` with no errors and no warnings.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// xorshift64*: small, fast and good enough for text.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    /// Skewed towards 0: index `n * u^4`, a rough Zipf.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u * u) * n as f64) as usize
    }
}

const IT_WORDS: &str = "server service client domain controller replication \
    certificate account password logon authentication kerberos ticket policy group \
    registry key value driver disk volume partition backup restore snapshot cluster \
    node quorum database transaction log mailbox transport connector queue message \
    application pool worker process thread memory handle timeout connection socket \
    port firewall proxy gateway route address network adapter interface dns zone \
    record lookup resolver cache share permission folder file path access token \
    session profile user computer object attribute schema forest trust site link \
    update rollup hotfix package installer setup upgrade version build release \
    configuration setting parameter option switch flag module assembly library \
    runtime framework website binding endpoint request response header cookie \
    storage array controller firmware bios boot loader kernel crash dump stack \
    exception fault error warning failure retry attempt schedule task job agent \
    monitor counter metric alert threshold event viewer channel provider source \
    subscription collector forwarding query index search crawler catalog shard \
    replica primary secondary failover listener availability instance login \
    credential secret vault encryption decryption signature hash cipher protocol \
    handshake tls schannel certificate chain revocation authority template \
    enrollment renewal expiry clock skew synchronisation time peer stratum \
    print spooler queue printer port scanner device usb bluetooth display \
    graphics audio power sleep hibernate resume shutdown restart reboot \
    performance latency throughput bandwidth capacity quota limit usage space";

/// The short words of English prose (most are search stopwords).
const FUNCTION_WORDS: &[&str] = &[
    "the", "the", "the", "a", "an", "of", "of", "to", "to", "and", "and", "in", "is", "is", "that",
    "for", "on", "with", "when", "after", "before", "not", "was", "are", "this", "it", "by",
    "from", "can", "then", "each", "every", "again", "still", "only",
];

const VERBS: &[&str] = &[
    "start",
    "stop",
    "connect",
    "authenticate",
    "replicate",
    "mount",
    "load",
    "open",
    "read",
    "write",
    "register",
    "resolve",
    "renew",
    "validate",
    "initialise",
    "contact",
    "bind",
    "enumerate",
    "create",
    "delete",
];

const PRODUCTS: &[(&str, &[&str])] = &[
    ("Windows Server", &["2016", "2019", "2022", "2025"]),
    ("Exchange Server", &["2016", "2019"]),
    ("SQL Server", &["2017", "2019", "2022"]),
    ("IIS", &["8.5", "10.0"]),
    ("Active Directory", &["2016", "2019"]),
    (
        "SharePoint Server",
        &["2016", "2019", "Subscription Edition"],
    ),
    ("System Center", &["2019", "2022"]),
    ("Hyper-V", &["2019", "2022"]),
    ("Windows 11", &["22H2", "23H2", "24H2"]),
    ("Ubuntu", &["22.04", "24.04"]),
    ("nginx", &["1.24", "1.26"]),
    ("PostgreSQL", &["15", "16"]),
];

/// (source, log) pairs that event blocks name.
const SOURCES: &[(&str, &str)] = &[
    ("W3SVC", "System"),
    ("WAS", "System"),
    ("Service Control Manager", "System"),
    ("MSExchangeIS", "Application"),
    ("MSExchangeTransport", "Application"),
    ("NTDS Replication", "Directory Service"),
    ("DNS Client Events", "System"),
    ("Microsoft-Windows-GroupPolicy", "System"),
    ("Schannel", "System"),
    ("Kerberos-Key-Distribution-Center", "System"),
    ("MSSQLSERVER", "Application"),
    ("Disk", "System"),
    ("Ntfs", "System"),
    ("Microsoft-Windows-Time-Service", "System"),
    ("Application Error", "Application"),
    ("Microsoft-Windows-FailoverClustering", "System"),
    ("DFSR", "DFS Replication"),
    ("Netlogon", "System"),
    ("VSS", "Application"),
    ("ESENT", "Application"),
    ("SharePoint Foundation", "Application"),
    (
        "Microsoft-Windows-Hyper-V-VMMS",
        "Microsoft-Windows-Hyper-V-VMMS-Admin",
    ),
    ("Tcpip", "System"),
    ("PrintService", "Microsoft-Windows-PrintService/Admin"),
];

/// Codes in the spellings people paste, with the message shown beside them.
const CODES: &[(&str, &str)] = &[
    ("0x80070005", "Access is denied."),
    ("-2147024891", "Access is denied."),
    ("ERROR_ACCESS_DENIED", "Access is denied."),
    ("0x80070003", "The system cannot find the path specified."),
    ("2147942403", "The system cannot find the path specified."),
    ("0x80070002", "The system cannot find the file specified."),
    (
        "ERROR_FILE_NOT_FOUND",
        "The system cannot find the file specified.",
    ),
    ("0x800706BA", "The RPC server is unavailable."),
    ("RPC_S_SERVER_UNAVAILABLE", "The RPC server is unavailable."),
    ("0x80004005", "Unspecified error"),
    ("E_FAIL", "Unspecified error"),
    ("0x8007000E", "Not enough memory resources are available."),
    (
        "E_OUTOFMEMORY",
        "Not enough memory resources are available.",
    ),
    (
        "0xC0000005",
        "The instruction referenced memory that could not be read.",
    ),
    (
        "STATUS_ACCESS_VIOLATION",
        "The instruction referenced memory that could not be read.",
    ),
    ("0x80072EE2", "The operation timed out."),
    ("0x8007052E", "The user name or password is incorrect."),
    (
        "ERROR_LOGON_FAILURE",
        "The user name or password is incorrect.",
    ),
    ("0x80070422", "The service cannot be started."),
    (
        "0x8007045D",
        "The request could not be performed because of an I/O device error.",
    ),
    ("0x80070070", "There is not enough space on the disk."),
    ("ERROR_DISK_FULL", "There is not enough space on the disk."),
    ("ENOSPC", "No space left on device"),
    ("ECONNREFUSED", "Connection refused"),
    ("Msg 9002", "The transaction log for the database is full."),
    (
        "5.7.57",
        "Client was not authenticated to send anonymous mail.",
    ),
    ("HTTP 503", "Service Unavailable"),
    (
        "0x80090325",
        "The certificate chain was issued by an authority that is not trusted.",
    ),
    ("0xC000006D", "The attempted logon is invalid."),
    (
        "0x800705B4",
        "This operation returned because the timeout period expired.",
    ),
];

const PLACEHOLDERS: &[&str] = &[
    "<server name>",
    "<process id>",
    "%1",
    "{0}",
    "<path>",
    "<user name>",
    "%2",
    "<database name>",
];

const ROLES: &[&str] = &["DC01", "EX02", "SQL03", "WEB04", "FS05", "HV06", "APP07"];

struct Vocab {
    words: Vec<String>,
}

impl Vocab {
    /// The real words first (they come up most often), then pseudo-words.
    fn new(rng: &mut Rng, pseudo: usize) -> Vocab {
        let mut words: Vec<String> = IT_WORDS.split_whitespace().map(String::from).collect();
        const ONSET: &[&str] = &[
            "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br",
            "cl", "dr", "fl", "gr", "pl", "st", "tr", "sh", "ch", "th", "qu",
        ];
        const NUCLEUS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"];
        const CODA: &[&str] = &["", "", "n", "r", "l", "s", "x", "nd", "rt", "ck", "m"];
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        while words.len() < pseudo + 300 {
            let mut w = String::new();
            for _ in 0..rng.range(2, 3) {
                w.push_str(rng.pick::<&str>(ONSET));
                w.push_str(rng.pick::<&str>(NUCLEUS));
                w.push_str(rng.pick::<&str>(CODA));
            }
            if w.len() >= 5 && seen.insert(w.clone()) {
                words.push(w);
            }
        }
        Vocab { words }
    }
    fn word(&self, rng: &mut Rng) -> &str {
        &self.words[rng.skewed(self.words.len())]
    }
    fn sentence(&self, rng: &mut Rng) -> String {
        let n = rng.range(8, 20);
        let mut s = String::new();
        for i in 0..n {
            let w = if i > 0 && rng.below(100) < 35 {
                rng.pick(FUNCTION_WORDS)
            } else {
                self.word(rng)
            };
            if i == 0 {
                let mut c = w.chars();
                let first = c.next().unwrap().to_ascii_uppercase();
                s.push(first);
                s.push_str(c.as_str());
            } else {
                s.push(' ');
                s.push_str(w);
            }
            if i > 2 && i + 2 < n && rng.below(12) == 0 {
                s.push(',');
            }
        }
        s.push('.');
        s
    }
    fn paragraph(&self, rng: &mut Rng) -> String {
        let n = rng.range(3, 6);
        (0..n)
            .map(|_| self.sentence(rng))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

struct Fix {
    id: String,
    title: String,
}

struct Article {
    dir: &'static str,
    file: String,
    title: String,
    product: usize,
    /// (source index, event id)
    event: (usize, u32),
    code: usize,
}

const DIRS: &[&str] = &[
    "windows",
    "exchange",
    "sql",
    "iis",
    "active-directory",
    "sharepoint",
    "cluster",
    "hyper-v",
    "networking",
    "storage",
    "security",
    "linux",
];

fn title_case(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn main() {
    let mut n = 1000usize;
    let mut out: Option<PathBuf> = None;
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--n" => {
                n = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--n takes a number"))
            }
            "--out" => out = Some(PathBuf::from(value())),
            "--seed" => {
                seed = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--seed takes a number"))
            }
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let out = out.unwrap_or_else(|| usage("--out DIR is required"));
    if let Err(e) = generate(n, seed, &out) {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("usage: gen_kb --n N --out DIR [--seed N]");
    std::process::exit(if problem.is_empty() { 0 } else { 2 })
}

/// Writes `out/kb.toml` and `out/kb/` with `n` articles from `seed`.
pub fn generate(n: usize, seed: u64, out: &Path) -> std::io::Result<()> {
    let kb = out.join("kb");
    if kb.exists() {
        if !kb.join(".gen_kb").is_file() {
            return Err(std::io::Error::other(format!(
                "{} exists and was not written by gen_kb; choose another --out",
                kb.display()
            )));
        }
        std::fs::remove_dir_all(&kb)?;
    }
    std::fs::create_dir_all(kb.join("fixes"))?;
    std::fs::write(kb.join(".gen_kb"), format!("n={n} seed={seed}\n"))?;
    std::fs::write(
        out.join("kb.toml"),
        format!("title = \"Generated knowledge base ({n} articles, seed {seed})\"\ndescription = \"Benchmark corpus written by examples/gen_kb.rs.\"\n"),
    )?;
    let mut rng = Rng::new(seed);
    let vocab = Vocab::new(&mut rng, 6000);

    let fixes: Vec<Fix> = (0..(n / 20).max(10))
        .map(|i| {
            let verb = rng.pick(VERBS);
            let obj = vocab.words[rng.below(300)].clone();
            Fix {
                id: format!("fix-{i:05}-{verb}-{obj}"),
                title: format!("{} the {obj} ({i})", title_case(verb)),
            }
        })
        .collect();
    for f in &fixes {
        std::fs::write(
            kb.join("fixes").join(format!("{}.md", f.id)),
            fix_text(f, &vocab, &mut rng),
        )?;
    }

    // Event keys are shared: about three articles cite each.
    let event_pool = (n / 3).max(5);
    let articles: Vec<Article> = (0..n)
        .map(|i| {
            let e = rng.below(event_pool);
            let source = e % SOURCES.len();
            let id = 1000 + (e / SOURCES.len()) as u32 * 7 % 8999;
            let w1 = vocab.words[rng.below(300)].clone();
            let w2 = vocab.word(&mut rng).to_string();
            let dir = DIRS[rng.below(DIRS.len())];
            Article {
                dir,
                file: format!("{w1}-{w2}-{i:06}.md"),
                title: format!(
                    "{} {id}: {} {w2} {} ({i})",
                    SOURCES[source].0,
                    title_case(&w1),
                    rng.pick(&["fails", "stops", "is slow", "cannot start", "is rejected"]),
                ),
                product: rng.below(PRODUCTS.len()),
                event: (source, id),
                code: rng.below(CODES.len()),
            }
        })
        .collect();
    for d in DIRS {
        std::fs::create_dir_all(kb.join(d))?;
    }
    for (i, a) in articles.iter().enumerate() {
        let text = article_text(i, &articles, &fixes, &vocab, &mut rng);
        std::fs::write(kb.join(a.dir).join(&a.file), text)?;
    }
    eprintln!(
        "wrote {n} articles and {} fixes to {}",
        fixes.len(),
        kb.display()
    );
    Ok(())
}

fn fix_text(f: &Fix, vocab: &Vocab, rng: &mut Rng) -> String {
    let mut s = format!(
        "---\nid: {}\ntitle: \"{}\"\napplies_to: [{}]\nsummary: \"{}\"\n---\n\n# {}\n\n{}\n\n## Steps\n\n",
        f.id,
        f.title,
        PRODUCTS[rng.below(PRODUCTS.len())].0,
        vocab.sentence(rng),
        f.title,
        vocab.paragraph(rng)
    );
    for k in 1..=rng.range(3, 6) {
        let _ = writeln!(s, "{k}. {}", vocab.sentence(rng));
    }
    let _ = write!(
        s,
        "\n```powershell\nGet-Service -Name {} | Restart-Service -Force\n```\n\n## Verify\n\n{}\n",
        vocab.words[rng.below(300)],
        vocab.paragraph(rng)
    );
    s
}

/// A message template with placeholders, made of words from the vocabulary.
fn template(vocab: &Vocab, rng: &mut Rng) -> String {
    let verb = rng.pick(VERBS);
    format!(
        "The {} {} could not {verb} the {} '{}' on {}. The {} {} returned '{}'.",
        vocab.word(rng),
        vocab.words[rng.below(300)],
        vocab.word(rng),
        rng.pick(PLACEHOLDERS),
        rng.pick(PLACEHOLDERS),
        vocab.word(rng),
        vocab.words[rng.below(300)],
        rng.pick(PLACEHOLDERS),
    )
}

/// The template as a log shows it: placeholders filled with values.
fn filled(template: &str, rng: &mut Rng) -> String {
    let mut s = template.to_string();
    for p in PLACEHOLDERS {
        while let Some(at) = s.find(p) {
            let v = match *p {
                "<process id>" => rng.range(1000, 65000).to_string(),
                "<path>" => format!("C:\\Program Files\\App{}\\bin", rng.below(90)),
                "<user name>" => format!("CONTOSO\\svc{}", rng.below(900)),
                _ => format!("{}.contoso.com", rng.pick(ROLES)),
            };
            s.replace_range(at..at + p.len(), &v);
        }
    }
    s
}

fn article_text(
    i: usize,
    articles: &[Article],
    fixes: &[Fix],
    vocab: &Vocab,
    rng: &mut Rng,
) -> String {
    let a = &articles[i];
    let (source, log) = SOURCES[a.event.0];
    let (pname, versions) = PRODUCTS[a.product];
    let (code, code_msg) = CODES[a.code];
    let msg = template(vocab, rng);
    let level = *rng.pick(&["Error", "Warning", "Critical"]);
    let my_fixes: Vec<&Fix> = (0..rng.range(1, 3))
        .map(|_| &fixes[rng.below(fixes.len())])
        .fold(Vec::new(), |mut v, f| {
            if !v.iter().any(|g: &&Fix| g.id == f.id) {
                v.push(f);
            }
            v
        });
    let related: Vec<usize> = (0..rng.range(1, 3))
        .map(|_| rng.below(articles.len()))
        .filter(|&j| j != i)
        .collect();
    let tags: Vec<&str> = (0..rng.range(2, 4))
        .map(|_| vocab.words[rng.below(120)].as_str())
        .collect();
    let target = rng.range(3000, 7000);
    let date = format!(
        "20{:02}-{:02}-{:02}",
        rng.range(15, 25),
        rng.range(1, 12),
        rng.range(1, 28)
    );
    let rel = |j: usize| format!("../{}/{}", articles[j].dir, articles[j].file);

    let mut s = String::with_capacity(target + 1024);
    let _ = write!(
        s,
        "---\ntitle: \"{}\"\ndate: {date}\nsummary: \"{}\"\nproducts:\n  - name: {pname}\n    versions: [\"{}\"]\ntags: [{}]\nsignatures:\n  - event: {{id: {}, source: {source}, log: {log}, level: {level}}}\n    message: \"{msg}\"\n  - codes: [\"{code}\"]\n    message: \"{code_msg}\"\ncauses:\n  - \"{}\"\nfixes: [{}]\nrelated: [{}]\n---\n\n",
        a.title,
        vocab.sentence(rng),
        rng.pick(versions),
        tags.join(", "),
        a.event.1,
        vocab.sentence(rng),
        my_fixes.iter().map(|f| f.id.as_str()).collect::<Vec<_>>().join(", "),
        related
            .iter()
            .map(|&j| format!("{}/{}", articles[j].dir, articles[j].file))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let _ = write!(
        s,
        "# {}\n\n{}\n\n## Symptoms\n\n{}\n\n",
        a.title,
        vocab.paragraph(rng),
        vocab.paragraph(rng)
    );
    let _ = write!(
        s,
        "The {log} log shows this event:\n\n```text\nLog Name:      {log}\nSource:        {source}\nDate:          {date}T{:02}:{:02}:{:02}\nEvent ID:      {}\nTask Category: None\nLevel:         {level}\nKeywords:      Classic\nUser:          N/A\nComputer:      {}.contoso.com\nDescription:\n{}\n```\n\n",
        rng.below(24),
        rng.below(60),
        rng.below(60),
        a.event.1,
        rng.pick(ROLES),
        filled(&msg, rng),
    );
    let _ = write!(
        s,
        "The {} also fails with:\n\n```text\nError {code}: {code_msg}\n   at {}.{}()\n```\n\n",
        vocab.words[rng.below(300)],
        title_case(vocab.word(rng)),
        title_case(vocab.word(rng)),
    );
    let _ = write!(
        s,
        "| Setting | Expected | Found |\n|---|---|---|\n| {} | {} | {} |\n| {} | enabled | disabled |\n| {} | {} | {} |\n\n",
        vocab.word(rng),
        rng.range(1, 100),
        rng.range(100, 1000),
        vocab.word(rng),
        vocab.word(rng),
        vocab.word(rng),
        vocab.word(rng),
    );
    let _ = write!(s, "## Cause\n\n{}\n\n", vocab.paragraph(rng));
    for _ in 0..rng.range(2, 3) {
        let _ = writeln!(s, "- {}", vocab.sentence(rng));
    }
    s.push_str("\n## Resolution\n\n");
    for (k, f) in my_fixes.iter().enumerate() {
        let _ = writeln!(
            s,
            "{}. {} See [{}](../fixes/{}.md).",
            k + 1,
            vocab.sentence(rng),
            f.title,
            f.id
        );
    }
    for k in my_fixes.len() + 1..=my_fixes.len() + rng.range(2, 4) {
        let _ = writeln!(
            s,
            "{k}. Run `{}` and {}",
            rng.pick(&[
                "gpupdate /force",
                "ipconfig /flushdns",
                "Restart-Service W3SVC",
                "chkdsk /scan"
            ]),
            vocab.sentence(rng).to_lowercase()
        );
    }
    s.push_str("\n## More information\n\n");
    for &j in &related {
        let _ = writeln!(s, "- [{}]({})", articles[j].title, rel(j));
    }
    s.push('\n');
    // Prose up to the target size.
    while s.len() < target {
        let _ = write!(s, "{}\n\n", vocab.paragraph(rng));
    }
    s
}
