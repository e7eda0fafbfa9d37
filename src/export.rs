//! `labbook export common-cartridge`: the student edition packaged as an IMS Common Cartridge
//! 1.3 (`.imscc`), for importing a course into a learning platform (Moodle, Canvas,
//! Blackboard).
//!
//! The cartridge is a zip with `imsmanifest.xml` at its root:
//! - the built student site under `site/`: one `webcontent` resource per page (its HTML, with
//!   a dependency on one resource holding every other file of the site: assets, the runtime,
//!   the search index), in the book's reading order in the organization;
//! - each page's quizzes as one QTI 1.2 assessment (`quizzes/<page>/assessment.xml`, resource
//!   type `imsqti_xmlv1p2/imscc_xmlv1p3/assessment`, profile `cc.exam.v0p1`), each quiz a
//!   `cc.multiple_choice.v0p1` or `cc.multiple_response.v0p1` item with its right answers and
//!   explanations, so the platform grades them (the pages themselves carry no answer).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use labbook_core::config::Edition;
use labbook_core::escape::escape_html as esc;
use labbook_core::markdown::directive::QuizKey;

/// What an export wrote, for the summary line.
pub struct ExportReport {
    /// Pages in the organization.
    pub pages: usize,
    /// Quizzes, as QTI items.
    pub quizzes: usize,
    /// Files in the cartridge.
    pub files: usize,
}

/// One page of the cartridge.
struct CartridgePage {
    output: String,
    title: String,
    quizzes: Vec<(String, QuizKey, f64)>,
}

/// Builds the student edition of the book at `root` and writes it as a Common Cartridge.
pub fn common_cartridge(root: &Path, out: &Path) -> Result<ExportReport> {
    let features = crate::features::builtin();
    let book = labbook_core::content::load_book_as(root, &features, Some(Edition::Student))?;
    let rendered = labbook_core::pipeline::transform(&book)?;
    let pages: Vec<CartridgePage> = book
        .reading_order
        .iter()
        .map(|&i| CartridgePage {
            output: book.pages[i].output.clone(),
            title: book.pages[i].title.clone(),
            quizzes: rendered[i]
                .progress
                .iter()
                .filter(|p| p.kind == "quiz")
                .filter_map(|p| p.key.clone().map(|k| (p.id.clone(), k, p.points)))
                .collect(),
        })
        .collect();
    let tmp = tempfile::tempdir().context("creating a temporary folder")?;
    let site = tmp.path().join("site");
    labbook_core::pipeline::build(&labbook_core::pipeline::BuildOptions {
        root: root.to_path_buf(),
        out: site.clone(),
        minify: false,
        cache: true,
        features,
        strict: false,
        edition: Some(Edition::Student),
    })?;
    let mut files: Vec<(String, PathBuf)> = walkdir::WalkDir::new(&site)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&site).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
            (format!("site/{rel}"), e.into_path())
        })
        .collect();
    files.sort();

    let mut zip = Zip::create(out)?;
    let mut quizzes = 0;
    let mut assessments = Vec::new();
    for (n, page) in pages.iter().enumerate().filter(|(_, p)| !p.quizzes.is_empty()) {
        let href = format!("quizzes/q{n}/assessment.xml");
        zip.add(&href, assessment(n, page).as_bytes())?;
        quizzes += page.quizzes.len();
        assessments.push((n, href));
    }
    for (name, path) in &files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        zip.add(name, &bytes)?;
    }
    let manifest = manifest(&book.config.title, &book.config.book_id(), &pages, &files, &assessments);
    zip.add("imsmanifest.xml", manifest.as_bytes())?;
    let count = zip.finish()?;
    Ok(ExportReport { pages: pages.len(), quizzes, files: count })
}

/// An XML identifier from an index (they must be NCNames, unique in the manifest).
fn page_id(n: usize) -> String {
    format!("R_page_{n}")
}

/// `imsmanifest.xml`: metadata, the organization (pages in reading order, each followed by its
/// page's assessment) and the resources.
fn manifest(
    title: &str,
    book_id: &str,
    pages: &[CartridgePage],
    files: &[(String, PathBuf)],
    assessments: &[(usize, String)],
) -> String {
    let mut m = String::new();
    m.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    m.push_str(&format!(
        "<manifest identifier=\"M_{id}\" xmlns=\"http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1\" \
xmlns:lomimscc=\"http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1 http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd \
http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd\">\n",
        id = book_id.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_', "_"),
    ));
    m.push_str(&format!(
        "  <metadata>\n    <schema>IMS Common Cartridge</schema>\n    <schemaversion>1.3.0</schemaversion>\n    <lomimscc:lom>\n      <lomimscc:general>\n        <lomimscc:title>\n          <lomimscc:string>{}</lomimscc:string>\n        </lomimscc:title>\n      </lomimscc:general>\n    </lomimscc:lom>\n  </metadata>\n",
        esc(title)
    ));
    m.push_str("  <organizations>\n    <organization identifier=\"O_1\" structure=\"rooted-hierarchy\">\n      <item identifier=\"I_root\">\n");
    for (n, page) in pages.iter().enumerate() {
        m.push_str(&format!(
            "        <item identifier=\"I_page_{n}\" identifierref=\"{}\">\n          <title>{}</title>\n        </item>\n",
            page_id(n),
            esc(&page.title)
        ));
        if assessments.iter().any(|(k, _)| *k == n) {
            m.push_str(&format!(
                "        <item identifier=\"I_quiz_{n}\" identifierref=\"R_quiz_{n}\">\n          <title>Quiz: {}</title>\n        </item>\n",
                esc(&page.title)
            ));
        }
    }
    m.push_str("      </item>\n    </organization>\n  </organizations>\n  <resources>\n");
    let page_files: std::collections::HashSet<String> = pages.iter().map(|p| format!("site/{}", p.output)).collect();
    for (n, page) in pages.iter().enumerate() {
        let href = format!("site/{}", page.output);
        m.push_str(&format!(
            "    <resource identifier=\"{}\" type=\"webcontent\" href=\"{h}\">\n      <file href=\"{h}\"/>\n      <dependency identifierref=\"R_site\"/>\n    </resource>\n",
            page_id(n),
            h = esc(&href)
        ));
    }
    m.push_str("    <resource identifier=\"R_site\" type=\"webcontent\">\n");
    for (name, _) in files.iter().filter(|(name, _)| !page_files.contains(name)) {
        m.push_str(&format!("      <file href=\"{}\"/>\n", esc(name)));
    }
    m.push_str("    </resource>\n");
    for (n, href) in assessments {
        m.push_str(&format!(
            "    <resource identifier=\"R_quiz_{n}\" type=\"imsqti_xmlv1p2/imscc_xmlv1p3/assessment\">\n      <file href=\"{}\"/>\n    </resource>\n",
            esc(href)
        ));
    }
    m.push_str("  </resources>\n</manifest>\n");
    m
}

/// HTML as plain text, for a title attribute.
fn plain(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    // Entities as text: the caller escapes the result once, for an attribute.
    let text = labbook_core::search::text::decode_entities(&text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One metadata field of a QTI `qtimetadata`.
fn field(label: &str, entry: &str) -> String {
    format!(
        "<qtimetadatafield><fieldlabel>{label}</fieldlabel><fieldentry>{}</fieldentry></qtimetadatafield>",
        esc(entry)
    )
}

/// A page's quizzes as a QTI 1.2 assessment in Common Cartridge's profile.
fn assessment(n: usize, page: &CartridgePage) -> String {
    let mut q = String::new();
    q.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    q.push_str("<questestinterop xmlns=\"http://www.imsglobal.org/xsd/ims_qtiasiv1p2\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.imsglobal.org/xsd/ims_qtiasiv1p2 http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_qtiasiv1p2p1_v1p0.xsd\">\n");
    q.push_str(&format!(
        "  <assessment ident=\"A_{n}\" title=\"Quiz: {}\">\n    <qtimetadata>{}{}{}</qtimetadata>\n    <section ident=\"S_{n}\">\n",
        esc(&page.title),
        field("cc_profile", "cc.exam.v0p1"),
        field("qmd_assessmenttype", "Examination"),
        field("cc_maxattempts", "1"),
    ));
    for (k, (id, key, points)) in page.quizzes.iter().enumerate() {
        let multiple = key.multiple;
        let profile = if multiple { "cc.multiple_response.v0p1" } else { "cc.multiple_choice.v0p1" };
        let question = if key.question.is_empty() {
            format!("Question {} of {}", k + 1, page.title)
        } else {
            key.question.clone()
        };
        q.push_str(&format!(
            "      <item ident=\"{}\" title=\"{}\">\n        <itemmetadata><qtimetadata>{}{}</qtimetadata></itemmetadata>\n        <presentation>\n          <material><mattext texttype=\"text/html\">{}</mattext></material>\n          <response_lid ident=\"RESP_{k}\" rcardinality=\"{}\">\n            <render_choice>\n",
            esc(id),
            esc(&plain(&question)),
            field("cc_profile", profile),
            field("cc_weighting", &points.to_string()),
            esc(&question),
            if multiple { "Multiple" } else { "Single" },
        ));
        for (c, choice) in key.choices.iter().enumerate() {
            q.push_str(&format!(
                "              <response_label ident=\"C_{k}_{c}\"><material><mattext texttype=\"text/html\">{}</mattext></material></response_label>\n",
                esc(&choice.text)
            ));
        }
        q.push_str("            </render_choice>\n          </response_lid>\n        </presentation>\n        <resprocessing>\n          <outcomes><decvar maxvalue=\"100\" minvalue=\"0\" varname=\"SCORE\" vartype=\"Decimal\"/></outcomes>\n");
        // Exactly the right choices: each right one chosen and, with several, no wrong one.
        let mut condition = String::new();
        let right: Vec<usize> = (0..key.choices.len()).filter(|&c| key.choices[c].correct).collect();
        if multiple {
            condition.push_str("<and>");
            for c in 0..key.choices.len() {
                let equal = format!("<varequal respident=\"RESP_{k}\">C_{k}_{c}</varequal>");
                if right.contains(&c) {
                    condition.push_str(&equal);
                } else {
                    condition.push_str(&format!("<not>{equal}</not>"));
                }
            }
            condition.push_str("</and>");
        } else {
            condition.push_str(&format!("<varequal respident=\"RESP_{k}\">C_{k}_{}</varequal>", right[0]));
        }
        q.push_str(&format!(
            "          <respcondition continue=\"Yes\"><conditionvar><other/></conditionvar><displayfeedback feedbacktype=\"Response\" linkrefid=\"general_fb\"/></respcondition>\n          <respcondition continue=\"No\"><conditionvar>{condition}</conditionvar><setvar action=\"Set\" varname=\"SCORE\">100</setvar></respcondition>\n        </resprocessing>\n"
        ));
        // The explanations, shown to the student after the attempt.
        let explained: Vec<String> = key
            .choices
            .iter()
            .filter(|c| !c.explain.is_empty())
            .map(|c| format!("<p>{} — {}</p>", c.text, c.explain))
            .collect();
        q.push_str(&format!(
            "        <itemfeedback ident=\"general_fb\"><flow_mat><material><mattext texttype=\"text/html\">{}</mattext></material></flow_mat></itemfeedback>\n      </item>\n",
            esc(&explained.join(""))
        ));
    }
    q.push_str("    </section>\n  </assessment>\n</questestinterop>\n");
    q
}

/// A zip archive written entry by entry: deflated with flate2, CRC-32 from crc32fast.
struct Zip {
    file: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    offset: u64,
    central: Vec<u8>,
    entries: usize,
}

impl Zip {
    fn create(path: &Path) -> Result<Zip> {
        let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        Ok(Zip {
            file: std::io::BufWriter::new(file),
            path: path.to_path_buf(),
            offset: 0,
            central: Vec::new(),
            entries: 0,
        })
    }

    fn add(&mut self, name: &str, data: &[u8]) -> Result<()> {
        let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data)?;
        let deflated = encoder.finish()?;
        let crc = crc32fast::hash(data);
        let (method, body): (u16, &[u8]) = if deflated.len() < data.len() { (8, &deflated) } else { (0, data) };
        anyhow::ensure!(
            body.len() < u32::MAX as usize && self.offset < u32::MAX as u64,
            "the cartridge is too large for a zip without zip64"
        );
        // 1980-01-01 00:00: fixed, so the same book gives the same cartridge.
        let (time, date) = (0u16, (1 << 5) | 1);
        let mut local = Vec::new();
        local.extend(0x0403_4b50u32.to_le_bytes());
        local.extend(20u16.to_le_bytes());
        local.extend(0x0800u16.to_le_bytes()); // UTF-8 names
        local.extend(method.to_le_bytes());
        local.extend(time.to_le_bytes());
        local.extend((date as u16).to_le_bytes());
        local.extend(crc.to_le_bytes());
        local.extend((body.len() as u32).to_le_bytes());
        local.extend((data.len() as u32).to_le_bytes());
        local.extend((name.len() as u16).to_le_bytes());
        local.extend(0u16.to_le_bytes());
        local.extend(name.as_bytes());
        let mut central = Vec::new();
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes());
        central.extend(local[4..30].iter());
        central.extend(0u16.to_le_bytes()); // comment length
        central.extend(0u16.to_le_bytes()); // disk
        central.extend(0u16.to_le_bytes()); // internal attributes
        central.extend(0u32.to_le_bytes()); // external attributes
        central.extend((self.offset as u32).to_le_bytes());
        central.extend(name.as_bytes());
        self.central.extend(central);
        self.file.write_all(&local)?;
        self.file.write_all(body)?;
        self.offset += (local.len() + body.len()) as u64;
        self.entries += 1;
        Ok(())
    }

    fn finish(mut self) -> Result<usize> {
        anyhow::ensure!(self.entries < u16::MAX as usize, "the cartridge has too many files for a zip without zip64");
        let mut end = Vec::new();
        end.extend(0x0605_4b50u32.to_le_bytes());
        end.extend(0u16.to_le_bytes());
        end.extend(0u16.to_le_bytes());
        end.extend((self.entries as u16).to_le_bytes());
        end.extend((self.entries as u16).to_le_bytes());
        end.extend((self.central.len() as u32).to_le_bytes());
        end.extend((self.offset as u32).to_le_bytes());
        end.extend(0u16.to_le_bytes());
        self.file.write_all(&self.central)?;
        self.file.write_all(&end)?;
        self.file.flush().with_context(|| format!("writing {}", self.path.display()))?;
        Ok(self.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_s_plain_text_is_escaped_once() {
        let question = "Is <code>x &lt; 3</code> &amp;\n <em>true</em>?";
        assert_eq!(plain(question), "Is x < 3 & true?");
        assert_eq!(esc(&plain(question)), "Is x &lt; 3 &amp; true?");
    }
}
