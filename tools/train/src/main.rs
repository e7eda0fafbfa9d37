//! Trains the bundled course's tiny models and writes them to `content/models/<id>/`:
//! `model.safetensors`, `config.json` and the model card `README.md`, whose metadata
//! (model-index results, widget examples with their expected outputs) is computed here
//! and whose prose comes from `tools/train/cards/<id>.md` with the numbers filled in.
//!
//! Everything is seeded, so a rerun writes byte-identical files:
//! `cargo run -p labbook-train --release -- [--data DIR] [--out DIR]`.

mod card;
mod data;
mod models;
mod rng;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use models::Tensor;

/// One model ready to write.
pub struct Output {
    pub id: &'static str,
    pub tensors: Vec<Tensor>,
    pub config: serde_json::Value,
    /// The card's YAML metadata, written by [`card`].
    pub metadata: String,
    /// Placeholder -> value for the card template.
    pub values: BTreeMap<String, String>,
}

fn main() -> Result<()> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().with_context(|| format!("finding the repository at {}", repo.display()))?;
    let mut data = None;
    let mut out = repo.join("content/models");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--data" => data = Some(PathBuf::from(args.next().context("--data needs a folder")?)),
            "--out" => out = PathBuf::from(args.next().context("--out needs a folder")?),
            other => bail!("unknown argument `{other}`; usage: labbook-train [--data DIR] [--out DIR]"),
        }
    }
    let data = data::data_dir(&repo, data)?;
    eprintln!("data from {}", data.display());
    let outputs = [card::iris(&data)?, card::digits(&data)?, card::names(&repo)?];
    for output in &outputs {
        write_model(&repo, &out, output)?;
    }
    Ok(())
}

fn write_model(repo: &Path, out: &Path, output: &Output) -> Result<()> {
    let dir = out.join(output.id);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let views: Vec<(String, safetensors::tensor::TensorView)> = output
        .tensors
        .iter()
        .map(|t| {
            let bytes: &[u8] = bytemuck_f32(&t.values);
            let view = safetensors::tensor::TensorView::new(safetensors::Dtype::F32, t.shape.clone(), bytes)
                .with_context(|| format!("tensor {}", t.name))?;
            Ok((t.name.to_string(), view))
        })
        .collect::<Result<_>>()?;
    let info: std::collections::HashMap<String, String> =
        [("producer".to_string(), "labbook-train".to_string())].into();
    let path = dir.join("model.safetensors");
    safetensors::serialize_to_file(views, Some(info), &path).with_context(|| format!("writing {}", path.display()))?;
    let config = serde_json::to_string_pretty(&output.config)? + "\n";
    std::fs::write(dir.join("config.json"), config)
        .with_context(|| format!("writing {}/config.json", dir.display()))?;
    let template_path = repo.join("tools/train/cards").join(format!("{}.md", output.id));
    let template =
        std::fs::read_to_string(&template_path).with_context(|| format!("reading {}", template_path.display()))?;
    let body = card::fill(&template, &output.values).with_context(|| format!("filling {}", template_path.display()))?;
    let readme = format!("---\n{}---\n\n{body}", output.metadata);
    std::fs::write(dir.join("README.md"), readme).with_context(|| format!("writing {}/README.md", dir.display()))?;
    eprintln!("wrote {}", dir.display());
    Ok(())
}

/// The little-endian bytes of f32 values (safetensors stores little-endian).
fn bytemuck_f32(values: &[f32]) -> &'static [u8] {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    // The tensors live until the process ends; leaking keeps TensorView's borrow simple.
    Box::leak(bytes.into_boxed_slice())
}
