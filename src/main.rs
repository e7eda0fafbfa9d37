//! The `labbook` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use labbook::diagnostic::Diagnostics;
use labbook::exercise::drive::{self, UsageError};
use labbook::features;
use labbook::pipeline::{self, BuildOptions};

/// mimalloc rather than the system's allocator: the build allocates millions of small,
/// short-lived strings and vectors on every core (syntect's parse of each code line, the
/// Markdown events, the search terms).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gives memory the build has freed back to the system promptly. mimalloc's defaults keep
/// freed pages for a second and only mark them reusable (they still count as the process's
/// memory), so a build's peak held what earlier stages had already dropped: 566 against
/// 467 MiB at 10,000 pages. Run before `main`, as one of the program's initialisers,
/// because mimalloc reserves its first arena at the first allocation, with the options it
/// has then.
extern "C" fn return_freed_memory() {
    // mimalloc 3's numbers for its options (mimalloc.h, `mi_option_e`); libmimalloc-sys
    // names only its stable ones.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is allowed at any time, before mimalloc's own start too.
    // Purged after 100 ms; arenas committed as they are used, so that a purge decommits
    // (MADV_DONTNEED) rather than resets. 100 ms rather than 10: a small book's build
    // (0.17 s for the Rust book) reuses most of what it frees within a stage, and at 10 ms
    // paid to fault it back in (2% of its wall time); a 10,000-page build's peak is the
    // same either way (355-360 MiB).
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 100);
    }
}

#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static RETURN_FREED_MEMORY: extern "C" fn() = return_freed_memory;

/// labbook: static sites for machine-learning courses, offline first.
#[derive(Parser)]
#[command(name = "labbook", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new course in DIR (default: the current folder) that builds at once.
    Init {
        /// Where to create the course.
        dir: Option<PathBuf>,
    },
    /// Build the book into a static site.
    Build {
        /// The book root (the folder with book.yaml, or an mdBook's book.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder (default: <root>/site).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Minify the HTML pages.
        #[arg(long)]
        minify: bool,
        /// Highlight every code block anew instead of reusing <root>/.labbook-cache/.
        #[arg(long)]
        no_cache: bool,
        /// Fail on any warning (a link leaving the book, a broken link in a `links: warn` or
        /// book.toml book, a book.toml section labbook does not use...).
        #[arg(long)]
        strict: bool,
        /// Which edition to write: `self-study` (solutions, hidden checks and quiz answers in
        /// the pages) or `student` (none of them; work is handed in and graded). Default:
        /// book.yaml's `edition:`, else self-study.
        #[arg(long, value_parser = parse_edition)]
        edition: Option<labbook::config::Edition>,
    },
    /// Serve the book from memory, rebuilding what each save touches, with live reload.
    Serve {
        /// The book root (the folder with book.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Address to listen on. Anything but loopback exposes the book to the network.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using native file events (network drives, some containers).
        #[arg(long)]
        poll: bool,
        /// Also answer requests that name this host (repeatable). Only localhost, 127.0.0.1,
        /// [::1] and the --host value are answered otherwise (with --host 0.0.0.0, the
        /// machine's own addresses too): other names get 403, against DNS rebinding.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Run every exercise: each solution must pass every check, each starter fail one.
    Test {
        /// The book root (the folder with book.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Run a file against an exercise offline and print its output and check results.
    Run {
        /// The exercise id (its folder under exercises/).
        exercise: String,
        /// The code to run (default: the exercise's starter; `-` reads stdin).
        file: Option<PathBuf>,
        /// The book root (the folder with book.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print the result as JSON (contract 1's result) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Grade student work into a CSV file: a folder of hand-in files from the student edition
    /// (`--work DIR`: every exercise with its hidden checks, every quiz; also writes
    /// gradebook.json and feedback/<student>.html beside the CSV), or a folder of loose files
    /// for one exercise (`EXERCISE DIR`).
    Grade {
        /// The exercise id (with loose files).
        #[arg(required_unless_present = "work", conflicts_with = "work")]
        exercise: Option<String>,
        /// The folder of student files for that exercise.
        #[arg(required_unless_present = "work")]
        submissions: Option<PathBuf>,
        /// A folder of `*.labbook-work.json` hand-in files.
        #[arg(long, value_name = "DIR")]
        work: Option<PathBuf>,
        /// The CSV file to write.
        #[arg(long)]
        out: PathBuf,
        /// With --work: the CSV layout, `labbook` (default), `moodle` or `canvas` (their
        /// grade import formats).
        #[arg(long, value_parser = parse_layout, requires = "work")]
        format: Option<labbook::exercise::gradebook::CsvLayout>,
        /// The book root (the folder with book.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Package the book for another platform: `common-cartridge` writes the student edition as
    /// an IMS Common Cartridge 1.3 (pages as web content, quizzes as QTI assessments) that
    /// Moodle, Canvas or Blackboard import.
    Export {
        /// `common-cartridge`.
        #[arg(value_parser = ["common-cartridge"])]
        format: String,
        /// The file to write (`course.imscc`).
        #[arg(long)]
        out: PathBuf,
        /// The book root (the folder with book.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Translations: what is translated, stale or missing; record what a page translates.
    I18n {
        #[command(subcommand)]
        action: I18nCommand,
    },
    /// Delete the output folder (only if labbook wrote it).
    Clean {
        /// The book root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder (default: <root>/site).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum I18nCommand {
    /// Print, for each language, how many pages are translated, stale and missing, and which.
    Status {
        /// The book root (the folder with book.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Record in each translated page the hash of the page it translates (`translated-from:`
    /// in its front matter), after translating or checking it against the current source.
    Mark {
        /// Translated pages (`content/fr/ml/loss.md`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The book root (the folder with book.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// A command that ran but found failures (failed checks): exit status 1, already reported.
#[derive(Debug)]
struct Failed;

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("failed")
    }
}

impl std::error::Error for Failed {}

fn main() -> ExitCode {
    #[cfg(not(target_os = "linux"))]
    return_freed_memory();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<Failed>() => ExitCode::from(1),
        Err(e) if e.is::<UsageError>() => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            report(&e);
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Init { dir } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("."));
            labbook::init::init(&dir)?;
            let d = dir.display();
            println!(
                "Created a course in {d}: a lesson with maths, code and a quiz, and an exercise.\n\
                 Preview it with `labbook serve --root {d}`, check its exercise with `labbook test --root {d}`,\n\
                 and build the site with `labbook build --root {d}`."
            );
        }
        Command::Build { root, out, minify, no_cache, strict, edition } => {
            let out = out.unwrap_or_else(|| root.join("site"));
            let features = features::builtin();
            let report = pipeline::build(&BuildOptions {
                root,
                out: out.clone(),
                minify,
                cache: !no_cache,
                features,
                strict,
                edition,
            })?;
            println!(
                "Built {} pages ({} files) into {} in {:.2} s",
                report.pages,
                report.files,
                out.display(),
                report.seconds
            );
        }
        Command::Serve { root, port, host, open, poll, allow_host } => {
            labbook::serve::serve(&labbook::serve::ServeOptions {
                root,
                host,
                port,
                open,
                poll,
                allow_hosts: allow_host,
            })?;
        }
        Command::Test { root } => {
            let started = std::time::Instant::now();
            // Every language of a translated book: a translation's pages may change its code.
            let books = labbook::content::load_books(&root, &features::builtin())?;
            let mut reports = Vec::new();
            for book in &books {
                for feature in book.features.iter() {
                    reports.extend(feature.test(book, started)?);
                }
            }
            if reports.iter().all(|r| r.cases == 0) {
                println!("No exercises in {} and no model widget examples to test", root.join("exercises").display());
                return Ok(());
            }
            for report in &reports {
                print!("{}", report.text);
            }
            if reports.iter().any(|r| r.failed) {
                return Err(Failed.into());
            }
        }
        Command::Run { exercise, file, root, json } => {
            let book = labbook::load_book(&root)?;
            let exercise = drive::find(&book, &exercise)?;
            let code = match file.as_deref() {
                None => exercise.starter.clone(),
                Some(p) if p == std::path::Path::new("-") => {
                    let mut code = String::new();
                    std::io::Read::read_to_string(&mut std::io::stdin(), &mut code)
                        .map_err(|e| UsageError(format!("cannot read the code from stdin: {e}")))?;
                    code
                }
                Some(p) => {
                    std::fs::read_to_string(p).map_err(|e| UsageError(format!("cannot read {}: {e}", p.display())))?
                }
            };
            let result = drive::run_code(&book, exercise, &code)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&result)?);
            } else {
                print!("{}", drive::format_run(&result));
            }
            if !result.passed {
                return Err(Failed.into());
            }
        }
        Command::Grade { work: Some(work), out, format, root, .. } => {
            use labbook::exercise::gradebook;
            let book = labbook::load_book(&root)?;
            let (marking, mut rows) = gradebook::grade_work(&book, &work)?;
            let folder = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
            gradebook::write_feedback(&marking, &mut rows, &folder.join("feedback"))?;
            gradebook::write_csv(&marking, &rows, format.unwrap_or_default(), &out)?;
            gradebook::write_json(&marking, &rows, &folder.join("gradebook.json"))?;
            let refused: Vec<&gradebook::WorkRow> = rows.iter().filter(|r| r.items.is_empty()).collect();
            for row in &refused {
                eprintln!("error: {}: {}", row.file, row.error);
            }
            println!(
                "Graded {} hand-in files for `{}`: {} refused; wrote {}, {} and {}",
                rows.len(),
                marking.book_id,
                refused.len(),
                out.display(),
                folder.join("gradebook.json").display(),
                folder.join("feedback").display()
            );
        }
        Command::Grade { exercise, submissions, out, root, .. } => {
            let book = labbook::load_book(&root)?;
            let exercise = drive::find(&book, exercise.as_deref().unwrap_or_default())?;
            let submissions = submissions.unwrap_or_default();
            let rows = drive::grade(&book, exercise, &submissions)?;
            drive::write_grades(&rows, &out)?;
            let passed = rows.iter().filter(|r| r.error.is_empty() && r.checks_passed == r.checks_total).count();
            let errors = rows.iter().filter(|r| !r.error.is_empty()).count();
            println!(
                "Graded {} submissions for `{}`: {passed} pass every check, {errors} with errors; wrote {}",
                rows.len(),
                exercise.id,
                out.display()
            );
        }
        Command::Export { format: _, out, root } => {
            let report = labbook::export::common_cartridge(&root, &out)?;
            println!(
                "Wrote {}: the student edition as an IMS Common Cartridge 1.3, {} pages and {} quizzes ({} files)",
                out.display(),
                report.pages,
                report.quizzes,
                report.files
            );
        }
        Command::I18n { action: I18nCommand::Status { root } } => {
            let books = labbook::content::load_books(&root, &features::builtin())?;
            print!("{}", labbook::i18n::status::format_status(&labbook::i18n::status::status(&books)));
        }
        Command::I18n { action: I18nCommand::Mark { files, root } } => {
            let books = labbook::content::load_books(&root, &features::builtin())?;
            for (file, hash) in labbook::i18n::status::mark(&root, &books, &files)? {
                println!("{}: translated-from: {hash}", file.display());
            }
        }
        Command::Clean { root, out } => {
            let out = out.unwrap_or_else(|| root.join("site"));
            match pipeline::clean(&out)? {
                None => println!("Nothing to clean: {} does not exist", out.display()),
                Some(kept) if kept.is_empty() => println!("Removed {}", out.display()),
                Some(kept) => println!(
                    "Removed labbook's files from {}; kept what labbook did not write: {}",
                    out.display(),
                    kept.join(", ")
                ),
            }
        }
    }
    Ok(())
}

/// `--format`'s value.
fn parse_layout(name: &str) -> Result<labbook::exercise::gradebook::CsvLayout, String> {
    labbook::exercise::gradebook::CsvLayout::parse(name)
        .ok_or_else(|| format!("`{name}` is not a gradebook layout: use labbook, moodle or canvas"))
}

/// `--edition`'s value.
fn parse_edition(name: &str) -> Result<labbook::config::Edition, String> {
    labbook::config::Edition::parse(name)
        .ok_or_else(|| format!("`{name}` is not an edition: use self-study or student"))
}

/// Prints an error: every diagnostic on its own line, or the whole cause chain.
fn report(e: &anyhow::Error) {
    if let Some(diagnostics) = e.downcast_ref::<Diagnostics>() {
        for d in &diagnostics.0 {
            eprintln!("error: {d}");
        }
        if diagnostics.0.len() > 1 {
            eprintln!("{} errors; the previous site, if any, was left as it was", diagnostics.0.len());
        }
        return;
    }
    if let Some(d) = e.downcast_ref::<labbook::diagnostic::Diagnostic>() {
        eprintln!("error: {d}");
        return;
    }
    eprintln!("error: {e}");
    for cause in e.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
}
