//! Names the way Python's imports make them.
//!
//! `from .x import Y` in module `m` makes `m.Y` a name of the object `x.Y` is, and so on
//! through any chain of imports (`utils/__init__.py` importing from `..errors`). Objects
//! defined in private modules (`_jobs_api.py`) are documented under the public name that
//! re-exports them (`huggingface_hub.JobInfo`): their shortest public name. Nothing is
//! imported or run: this reads the `import` statements the parser collected.

use std::collections::HashMap;

use super::parse::{Node, ParsedModule};

/// How far a chain of imports is followed (a cycle stops there).
const MAX_HOPS: usize = 32;

/// Every module's imports and public re-exports.
pub struct Imports {
    /// `module.local` -> the absolute dotted path it imports.
    names: HashMap<String, String>,
    /// Names a module offers: (module, local name, absolute target, rank), where rank 0 is
    /// a re-export (`__all__`, a package's `__init__`) and rank 1 a plain public import.
    offered: Vec<(String, String, String, u8)>,
}

impl Imports {
    /// Collects the imports of every parsed module.
    pub fn new(modules: &[&ParsedModule]) -> Imports {
        let mut names = HashMap::new();
        let mut offered = Vec::new();
        for m in modules {
            let module = &m.root.object.qualname;
            for (local, target) in &m.imports {
                names.insert(format!("{module}.{local}"), target.clone());
                if !local.starts_with('_') {
                    offered.push((module.clone(), local.clone(), target.clone(), 1));
                }
            }
            for (local, target) in &m.reexports {
                offered.push((module.clone(), local.clone(), target.clone(), 0));
            }
        }
        Imports { names, offered }
    }

    /// Follows `name` through imports and `moved` names until `stop` accepts it; a dotted
    /// name whose head is imported (`utils.HfFolder.get_token`) follows its head.
    fn follow(&self, name: &str, moved: &HashMap<String, String>, stop: impl Fn(&str) -> bool) -> Option<String> {
        let mut name = name.to_string();
        'hops: for _ in 0..MAX_HOPS {
            if stop(&name) {
                return Some(name);
            }
            if let Some(next) = moved.get(&name).or_else(|| self.names.get(&name)) {
                name = next.clone();
                continue;
            }
            let mut cut = name.len();
            while let Some(dot) = name[..cut].rfind('.') {
                let head = &name[..dot];
                if let Some(next) = moved.get(head).or_else(|| self.names.get(head)) {
                    name = format!("{next}{}", &name[dot..]);
                    continue 'hops;
                }
                cut = dot;
            }
            return None;
        }
        None
    }

    /// Every module's imported names (`module.local`) -> the dotted path each imports.
    pub fn names(&self) -> &HashMap<String, String> {
        &self.names
    }

    /// Every imported or moved name that reaches a documented object -> that object's
    /// qualified name. Names of documented objects are never aliases.
    pub fn aliases(
        &self,
        documented: &HashMap<String, usize>,
        moved: &HashMap<String, String>,
    ) -> HashMap<String, String> {
        let mut out = HashMap::new();
        for name in self.names.keys().chain(moved.keys()) {
            if documented.contains_key(name) {
                continue;
            }
            if let Some(target) = self.follow(name, moved, |n| documented.contains_key(n)) {
                out.insert(name.clone(), target);
            }
        }
        out
    }
}

/// Moves the objects of `private` modules that a public module re-exports into that public
/// module (`public`: (api entry, file, module tree)), renamed to their shortest public name.
/// Returns each moved object's private name -> its public name.
pub fn adopt(imports: &Imports, private: Vec<Node>, public: &mut [(usize, usize, Node)]) -> HashMap<String, String> {
    // Top-level objects of private modules, by qualified name.
    let mut slots: Vec<Option<Node>> = Vec::new();
    let mut defined: HashMap<String, usize> = HashMap::new();
    for module in private {
        for child in module.children {
            defined.insert(child.object.qualname.clone(), slots.len());
            slots.push(Some(child));
        }
    }
    let public_modules: HashMap<String, usize> =
        public.iter().enumerate().map(|(k, (_, _, m))| (m.object.qualname.clone(), k)).collect();
    // The best home of each private object: a re-export before a plain import (`hf_api.py`
    // importing `DatasetParquetEntry` for its signatures), then the public name with the
    // fewest parts, then the shortest, then the first alphabetically.
    let none = HashMap::new();
    let mut homes: HashMap<usize, (u8, usize, String)> = HashMap::new();
    for (module, local, target, rank) in &imports.offered {
        let Some(&k) = public_modules.get(module) else { continue };
        let Some(found) = imports.follow(target, &none, |n| defined.contains_key(n)) else { continue };
        let slot = defined[&found];
        let name = format!("{module}.{local}");
        let key = |rank: u8, n: &str| (rank, n.matches('.').count(), n.len(), n.to_string());
        let better = |(old_rank, _, old): &(u8, usize, String)| key(*rank, &name) < key(*old_rank, old);
        if homes.get(&slot).is_none_or(better) {
            homes.insert(slot, (*rank, k, name));
        }
    }
    let mut moved = HashMap::new();
    let mut homes: Vec<(usize, (u8, usize, String))> = homes.into_iter().collect();
    homes.sort_by(|a, b| a.1 .2.cmp(&b.1 .2));
    for (slot, (_, k, name)) in homes {
        let Some(mut node) = slots[slot].take() else { continue };
        let module = &mut public[k].2;
        let local = name.rsplit('.').next().unwrap_or_default().to_string();
        if module.children.iter().any(|c| c.object.name == local) {
            continue;
        }
        moved.insert(node.object.qualname.clone(), name.clone());
        node.object.name = local;
        rename(&mut node, &name);
        module.children.push(node);
    }
    moved
}

/// Gives `node` the qualified name `qualname` and its members the names under it.
fn rename(node: &mut Node, qualname: &str) {
    node.object.qualname = qualname.to_string();
    for child in &mut node.children {
        let name = format!("{qualname}.{}", child.object.name);
        rename(child, &name);
    }
}
