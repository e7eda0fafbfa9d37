//! The `labbook` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use labbook::diagnostic::Diagnostics;
use labbook::pipeline::{self, BuildOptions};

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
        /// The book root (the folder with book.yaml).
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
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
            println!("Created a course in {}. Build it with: labbook build --root {}", dir.display(), dir.display());
        }
        Command::Build { root, out, minify, no_cache } => {
            let out = out.unwrap_or_else(|| root.join("site"));
            let report = pipeline::build(&BuildOptions { root, out: out.clone(), minify, cache: !no_cache })?;
            println!(
                "Built {} pages ({} files) into {} in {:.2} s",
                report.pages,
                report.files,
                out.display(),
                report.seconds
            );
        }
        Command::Serve { root, port, host, open, poll } => {
            labbook::serve::serve(&labbook::serve::ServeOptions { root, host, port, open, poll })?;
        }
        Command::Clean { root, out } => {
            let out = out.unwrap_or_else(|| root.join("site"));
            if pipeline::clean(&out)? {
                println!("Removed {}", out.display());
            } else {
                println!("Nothing to clean: {} does not exist", out.display());
            }
        }
    }
    Ok(())
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
