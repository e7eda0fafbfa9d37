//! `labbook serve`: the site served from memory while the author writes, rebuilt
//! incrementally on every save, with live reload and errors shown over the page.
//!
//! The parts: [`site`] keeps the book and the built files and knows what a change
//! touches; [`watch`] turns file events into one batch per save; [`http`] answers requests
//! (files, the live-reload script, the event stream); [`events`] broadcasts to open pages;
//! [`hosts`] decides which `Host` and `Origin` values are answered (DNS rebinding);
//! [`connections`] bounds the open connections and their threads.
//! One thread waits for batches and rebuilds; each open connection has its own thread.

mod connections;
mod events;
pub mod hosts;
mod http;
mod languages;
pub mod plan;
mod site;
mod watch;

use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::diagnostic::Diagnostic;
use events::Event;
use http::Shared;
use languages::Sites;

/// How often idle event streams get a comment line.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// Options of `labbook serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The book root.
    pub root: PathBuf,
    /// Address to listen on (loopback by default).
    pub host: String,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Poll the file system instead of native events (network drives, containers).
    pub poll: bool,
    /// Host names answered besides localhost, the loopback addresses and `host`
    /// (`--allow-host`).
    pub allow_hosts: Vec<String>,
}

/// Builds the book in memory, serves it and rebuilds on changes until Ctrl+C.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let root = std::fs::canonicalize(&options.root)
        .with_context(|| format!("the book root {} does not exist", options.root.display()))?;
    if !root.join("book.yaml").is_file() && !root.join("book.toml").is_file() {
        bail!("no book.yaml or book.toml in {}; run `labbook init` to start a book", root.display());
    }

    // Watch before the first build, so that no save is missed; one made during the build
    // only causes a second, incremental one.
    let started = Instant::now();
    let mut site = Sites::new(root.clone(), crate::features::builtin());
    let (file_events, batches) = mpsc::channel();
    let mut watcher = watch::Watcher::new(file_events, options.poll)?;
    watcher.sync(&site.watch_list());
    site.build();
    watcher.sync(&site.watch_list());
    let errors = site.errors();
    report_errors(&errors);
    let built = format!("{} pages in {:.2} s", site.pages(), started.elapsed().as_secs_f64());
    let title = site.title().unwrap_or("the book").to_string();

    let address = listen_address(&options.host, options.port)?;
    let listener = TcpListener::bind(address).with_context(|| format!("cannot listen on {address}"))?;
    let address = listener.local_addr().context("the server has no address")?;
    if !address.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can read the book; use the default --host 127.0.0.1 to keep it private",
            address.ip()
        );
    }
    let url = format!("http://{address}/");
    println!("Serving {title} at {url} (built {built}). Press Ctrl+C to stop.");

    let hosts = hosts::HostPolicy::new(&options.host, address.port(), &options.allow_hosts);
    let shared = http::shared(site, hosts);
    shared.hub.broadcast(&if errors.is_empty() { Event::Ok } else { Event::Error(errors.clone()) });
    {
        let shared = shared.clone();
        std::thread::spawn(move || http::run(listener, shared));
    }
    {
        let shared = shared.clone();
        std::thread::spawn(move || shared.refresh_extras());
    }
    {
        let shared = shared.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(HEARTBEAT);
            shared.hub.heartbeat();
        });
    }

    {
        let shared = shared.clone();
        std::thread::spawn(move || rebuild_loop(&batches, &mut watcher, &shared, errors));
    }

    let (stop, stopped) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .context("installing the Ctrl+C handler")?;
    if options.open {
        open_browser(&url);
    }
    let _ = stopped.recv();
    println!("\nStopping: closing {} live-reload connection(s).", shared.hub.clients());
    shared.hub.close();
    Ok(())
}

/// Waits for batches of changes, rebuilds, tells the browsers and the terminal.
fn rebuild_loop(
    batches: &mpsc::Receiver<watch::Events>,
    watcher: &mut watch::Watcher,
    shared: &Arc<Shared>,
    mut shown: Vec<Diagnostic>,
) {
    while let Some(batch) = watch::next_batch(batches) {
        let started = Instant::now();
        let (update, errors, watch_list) = {
            let mut site = shared.site.lock().expect("site lock");
            let update = site.apply(&batch);
            (update, site.errors(), site.watch_list())
        };
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        // Follow new folders (themes/, exercises/, a new content-dir) before anyone hears of
        // the rebuild, so that the next save in them is seen.
        watcher.sync(&watch_list);
        if errors != shown {
            if errors.is_empty() {
                println!("All errors fixed.");
                shared.hub.broadcast(&Event::Ok);
            } else {
                report_errors(&errors);
                shared.hub.broadcast(&Event::Error(errors.clone()));
            }
            shown = errors;
        }
        if let Some(css) = update.css.clone() {
            shared.hub.broadcast(&Event::Css(css));
        }
        if update.all || !update.folders.is_empty() || !update.pages.is_empty() {
            shared.hub.broadcast(&Event::Reload {
                pages: update.pages.clone(),
                all: update.all,
                folders: update.folders.clone(),
            });
        }
        // The search index and print.html follow in the background.
        {
            let shared = shared.clone();
            std::thread::spawn(move || shared.refresh_extras());
        }
        if update.changed() {
            println!("Rebuilt {} in {ms:.0} ms", if update.summary.is_empty() { "the site" } else { &update.summary });
        }
    }
}

/// Prints the errors to the terminal, as `build` does.
fn report_errors(errors: &[Diagnostic]) {
    for d in errors {
        eprintln!("error: {d}");
    }
    if !errors.is_empty() {
        eprintln!("{} error(s); the browser shows them too. Serving the last good version of each page.", errors.len());
    }
}

/// `host:port` as a socket address (`localhost` resolves; IPv6 without brackets too).
fn listen_address(host: &str, port: u16) -> Result<SocketAddr> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    (host, port)
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve --host {host}"))?
        .next()
        .with_context(|| format!("--host {host} has no address"))
}

/// Opens `url` in the default browser; a failure only prints a warning.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command.arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    if let Err(e) = command.spawn() {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses() {
        assert_eq!(listen_address("127.0.0.1", 3000).unwrap().to_string(), "127.0.0.1:3000");
        assert_eq!(listen_address("[::1]", 0).unwrap().to_string(), "[::1]:0");
        assert!(listen_address("localhost", 80).unwrap().ip().is_loopback());
    }
}
