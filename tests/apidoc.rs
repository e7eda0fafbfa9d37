//! The API reference: the `apidoc` fixture book documents a package (Google and NumPy
//! docstrings, dataclass, properties, overloads, re-exports, a private module, excluded
//! tests) and a `.pyi` stub, and cross-links to them from a page.

mod common;

use std::path::Path;

use common::*;

/// Builds the fixture once per test; returns the temp dir (kept alive), the site and stderr.
fn build_fixture() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(&fixture("apidoc"), &out);
    assert!(output.status.success(), "build failed:\n{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (tmp, out, stderr)
}

/// The `<article>` of a built page.
fn article(out: &Path, rel: &str) -> String {
    let html = read(out, rel);
    let start = html.find("<article").expect("an article");
    let end = html.find("</article>").expect("an article end");
    html[start..end + "</article>".len()].to_string()
}

#[test]
fn package_and_stub_become_reference_pages() {
    let (_tmp, out, stderr) = build_fixture();
    for page in ["api/index.html", "api/geometry.html", "api/geometry.shapes.html", "reference/fastmath.html"] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    // A private module and excluded tests are not documented.
    assert!(!out.join("api/geometry._impl.html").exists());
    assert!(!out.join("api/geometry.tests.test_shapes.html").exists());

    let package = article(&out, "api/geometry.html");
    for id in ["geometry", "geometry.area", "geometry.VERSION", "geometry.ORIGIN"] {
        assert!(package.contains(&format!("id=\"{id}\"")), "no anchor {id}:\n{package}");
    }
    assert!(!package.contains("UNLISTED"), "a name outside __all__ is documented");
    // Keyword-only marker, defaults, a string annotation linked through the re-export, the
    // Google sections and the version note.
    assert!(package.contains("<span class=\"api-param\">shape</span>: &quot;<a href=\"geometry.shapes.html#geometry.shapes.Circle\">Circle</a>&quot;, *, <span class=\"api-param\">exact</span>: bool = <span class=\"api-default\">False</span>"), "{package}");
    assert!(package.contains("<p class=\"admonition-title\">Added in version 1.1</p>"), "{package}");
    assert!(package.contains("<pre class=\"code\" data-lang=\"pycon\"><code class=\"language-pycon\">"), "{package}");
    assert!(package.contains("<td><code>ValueError</code></td><td>If the radius is negative.</td>"), "{package}");
    // A docstring cross-link to an object on another API page, relative.
    assert!(package.contains("href=\"geometry.shapes.html#geometry.shapes.Circle.radius\""), "{package}");
    // Re-exported names link to where the object is defined.
    assert!(
        package.contains("see <a href=\"geometry.shapes.html#geometry.shapes.Point\"><code>Point</code></a>"),
        "{package}"
    );

    let shapes = article(&out, "api/geometry.shapes.html");
    assert!(shapes.contains("<span class=\"api-keyword\">async def </span>"), "async");
    assert!(
        shapes.contains("<span class=\"api-param\">other</span>: <a href=\"#geometry.shapes.Point\">Point</a>, /, *,"),
        "positional-only marker"
    );
    assert!(shapes.contains("id=\"geometry.shapes.Circle.__len__\""), "a documented dunder is shown");
    assert!(
        !shapes.contains("__repr__") && !shapes.contains("_private"),
        "undocumented dunders and private methods are hidden"
    );
    assert_eq!(shapes.matches("<span class=\"api-decorator\">@overload</span>").count(), 2);
    assert!(shapes.contains("<p class=\"admonition-title\">Deprecated since version 1.2</p>"));
    assert!(shapes.contains("<tr id=\"geometry.shapes.Point.x\">"), "dataclass fields carry anchors");

    let stub = article(&out, "reference/fastmath.html");
    assert_eq!(stub.matches("@overload").count(), 2, "{stub}");
    assert!(stub.contains("Added in version 0.3"), "{stub}");
    assert!(stub.contains("id=\"fastmath.EPSILON\""), "{stub}");
    assert!(!stub.contains("hidden"), "a name outside __all__ of a stub is documented");

    // The malformed docstring is a warning with its file and line; the build succeeded.
    assert!(
        stderr
            .contains("warning: src/geometry/shapes.py:134:13: malformed `Parameters` entry `n the number of points`"),
        "{stderr}"
    );

    // One A–Z index links every object of every entry; the sidebar has one part per `api:` entry.
    let index = article(&out, "api/index.html");
    assert!(index.contains("href=\"geometry.shapes.html#geometry.shapes.Circle.from_diameter\""), "{index}");
    assert!(index.contains("href=\"../reference/fastmath.html#fastmath.clip\""), "{index}");
    let toc = read(&out, "toc.html");
    assert!(toc.contains("geometry API") && toc.contains("fastmath stub"), "{toc}");
}

#[test]
fn pages_use_autodoc_and_cross_links() {
    let (_tmp, out, _) = build_fixture();
    let page = article(&out, "index.html");
    assert!(
        page.contains(
            "<a href=\"api/geometry.shapes.html#geometry.shapes.Point\"><code>geometry.shapes.Point</code></a>"
        ),
        "{page}"
    );
    // `~` shows the last part; a re-exported name resolves to the definition.
    assert!(
        page.contains("<a href=\"api/geometry.shapes.html#geometry.shapes.Point\"><code>Point</code></a>"),
        "{page}"
    );
    assert!(page.contains("<code>Point.distance()</code>"), "{page}");
    // autodoc with a member list: the listed members only.
    assert!(
        page.contains("id=\"geometry.shapes.Circle.radius\"") && page.contains("id=\"geometry.shapes.Circle.scaled\"")
    );
    assert!(!page.contains("id=\"geometry.shapes.Circle.unit\""), "an unlisted member is shown");
    assert!(page.contains("<h2 class=\"api-heading\" id=\"fastmath.clip\">"), "heading-level 2");
    // The autodoc headings are in the page's table of contents.
    let html = read(&out, "index.html");
    assert!(html.contains("<li class=\"page-toc-h2\"><a href=\"#fastmath.clip\"><code>clip</code></a></li>"), "{html}");
}

#[test]
fn api_objects_are_search_records_of_kind_api() {
    let (_tmp, out, _) = build_fixture();
    let mut api_titles = Vec::new();
    for entry in std::fs::read_dir(out.join("search")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("page-") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if text.contains("\"kind\":\"api\"") {
            let title = text.split("\"title\":\"").nth(1).unwrap().split('"').next().unwrap().to_string();
            api_titles.push(title);
        }
    }
    api_titles.sort();
    for expected in ["fastmath.clip", "geometry.area", "geometry.shapes.Circle.scaled", "geometry.shapes.Point"] {
        assert!(api_titles.iter().any(|t| t == expected), "no search record {expected}: {api_titles:?}");
    }
}

#[test]
fn api_page_snapshot() {
    let (_tmp, out, _) = build_fixture();
    insta::assert_snapshot!("apidoc_geometry_shapes", article(&out, "api/geometry.shapes.html"));
}

/// A docstring's cross-link that resolves to nothing is a warning (its author's tool builds
/// anyway) and its text stays, unlinked; the same link in a page is an error
/// (`tests/failures.rs`).
#[test]
fn unresolved_docstring_cross_links_are_warnings() {
    let book = copy_fixture("fail-api-xref");
    std::fs::write(book.path().join("content/index.md"), "# Home\n\nSee [`lib.f`].\n").unwrap();
    let out = book.path().join("site");
    let output = build(book.path(), &out);
    assert!(output.status.success(), "build failed:\n{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: lib.py:7: unresolved cross-link [`Missing`]: no API object `Missing` is documented"),
        "{stderr}"
    );
    let page = article(&out, "api/lib.html");
    assert!(page.contains("Unlike <code>Missing</code>, this works."), "{page}");
}

/// Names another project documents resolve through its Sphinx inventory saved in the book
/// (attrs' real `objects.inv`): offline, as links out of the site; a missing inventory is an
/// error at its line of book.yaml.
#[test]
fn external_names_resolve_through_sphinx_inventories() {
    let book = copy_fixture("fail-api-xref");
    let inventories = repo_root().join("tests/fixtures/inventories/attrs.inv");
    std::fs::copy(&inventories, book.path().join("attrs.inv")).unwrap();
    // Names of attrs in prose, in annotations (as imported), in docstring types and in
    // `Raises` entries, Google and NumPy style.
    let lib = r#""""A library."""

import attr
from attr.exceptions import FrozenInstanceError


def f():
    """Do it with [`~attr.Attribute`] and :func:`attr.s`."""


def freeze(a: attr.Attribute, b: attr.Attribute | None = None) -> int:
    """Freeze an attribute.

    Args:
        a: The attribute.
        b: Another one.

    Raises:
        FrozenInstanceError: If it is frozen already.
    """


def thaw(a, n):
    """Thaw an attribute.

    Parameters
    ----------
    a : :py:class:`~attr.Attribute`
        The attribute.
    n : int, optional
        How many times.

    Raises
    ------
    attr.exceptions.FrozenError
        If it cannot be thawed.
    """
"#;
    std::fs::write(book.path().join("lib.py"), lib).unwrap();
    std::fs::write(book.path().join("content/index.md"), "# Home\n\nSee [`lib.f`].\n").unwrap();
    let yaml = "title: T\napi:\n  - source: lib.py\n    inventories:\n      - path: attrs.inv\n        url: https://www.attrs.org/en/stable/\n";
    std::fs::write(book.path().join("book.yaml"), yaml).unwrap();
    let out = book.path().join("site");
    let output = build(book.path(), &out);
    assert!(output.status.success(), "build failed:\n{}", shown(&output));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("warning"), "{}", shown(&output));
    let page = article(&out, "api/lib.html");
    assert!(
        page.contains(
            "<a href=\"https://www.attrs.org/en/stable/api-attr.html#attr.Attribute\"><code>Attribute</code></a>"
        ),
        "{page}"
    );
    assert!(page.contains("<a href=\"https://www.attrs.org/en/stable/api-attr.html#attr.s\">"), "{page}");
    let attribute = "<a href=\"https://www.attrs.org/en/stable/api-attr.html#attr.Attribute\">";
    // Annotations: `attr.Attribute` through `import attr`; `None` has no inventory here.
    assert!(
        page.contains(&format!("<td><code>{attribute}attr.Attribute</a> | None</code></td><td><code>None</code></td>")),
        "{page}"
    );
    // `Raises` names: imported with `from attr.exceptions import ...`, and written in full.
    assert!(
        page.contains("<td><code><a href=\"https://www.attrs.org/en/stable/api.html#attrs.exceptions.FrozenInstanceError\">FrozenInstanceError</a></code></td>"),
        "{page}"
    );
    assert!(
        page.contains("<td><code><a href=\"https://www.attrs.org/en/stable/api.html#attrs.exceptions.FrozenError\">attr.exceptions.FrozenError</a></code></td>"),
        "{page}"
    );
    // A NumPy type written as a role loses its markup and links; other words stay text.
    assert!(
        page.contains(&format!(
            "<td><code>{attribute}attr.Attribute</a></code></td><td>required</td><td>The attribute.</td>"
        )),
        "{page}"
    );
    assert!(page.contains("<td><code>int, optional</code></td>"), "{page}");

    std::fs::remove_file(book.path().join("attrs.inv")).unwrap();
    let output = build(book.path(), &out);
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: book.yaml:5:15: inventory `attrs.inv` cannot be read"), "{stderr}");
}

/// A real NumPy-docstring package written for Sphinx (three files of xarray 2026.9.0,
/// Apache-2.0; see `apidoc-numpy/SOURCE.md`): `:py:meth:`/`:py:class:`/`:py:func:` roles
/// (with the `py` domain and `~`), `.. note::` directives and NumPy sections build with no
/// error and no warning. Roles to documented objects link (through the re-export in
/// `xarray/indexes/__init__.py`); roles to names of other projects stay code, as Sphinx shows
/// them without an inventory.
#[test]
fn numpy_docstrings_with_sphinx_roles_build() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(&fixture("apidoc-numpy"), &out);
    assert!(output.status.success(), "build failed:\n{}", shown(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("error") && !stderr.contains("warning"), "{stderr}");
    let page = article(&out, "api/xarray.indexes.range_index.html");
    assert!(!page.contains(":py"), "no role is left as text:\n{page}");
    let arange = "<a href=\"#xarray.indexes.range_index.RangeIndex.arange\"><code>arange</code></a> or\n";
    let linspace =
        "<a href=\"#xarray.indexes.range_index.RangeIndex.linspace\"><code>linspace</code></a>, which are similar to\n";
    let roles = format!("use {arange}{linspace}<code>numpy.arange</code> and <code>numpy.linspace</code>.");
    assert!(page.contains(&roles), "{page}");
    assert_eq!(
        page.matches("<div class=\"admonition note\" role=\"note\"><p class=\"admonition-title\">Note</p>").count(),
        2
    );
    assert!(
        page.contains("<tr><td><code>bool</code></td><td>True if the transforms are equal, False otherwise.</td></tr>")
    );
    // The page that a cross-link from the book reaches, through the re-export.
    let index = read(&out, "index.html");
    assert!(index.contains("<a href=\"api/xarray.indexes.range_index.html#xarray.indexes.range_index.RangeIndex\"><code>xarray.indexes.RangeIndex</code></a>"), "{index}");
}

/// The API markup is the theme's: a book theme that overrides one template of the API
/// reference (`api/params.html`) changes every parameter table, and nothing else.
#[test]
fn a_theme_overrides_one_api_template() {
    let book = copy_fixture("apidoc");
    let config = std::fs::read_to_string(book.path().join("book.yaml")).unwrap();
    std::fs::write(book.path().join("book.yaml"), format!("theme: plain\n{config}")).unwrap();
    let templates = book.path().join("themes/plain/templates/api");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("params.html"),
        "<dl class=\"my-params\">{% for row in rows %}<dt>{{ row.name }}</dt><dd>{{ row.text | safe }}</dd>{% endfor %}</dl>\n",
    )
    .unwrap();
    let out = book.path().join("site");
    build_ok(book.path(), &out);
    let page = article(&out, "api/geometry.shapes.html");
    assert!(page.contains("<dl class=\"my-params\"><dt>radius</dt><dd>The radius, not negative.</dd>"), "{page}");
    assert!(!page.contains("<p class=\"api-section-title\">Parameters</p>"), "the built-in table is gone: {page}");
    // The other API templates are still the built-in ones.
    assert!(page.contains("<pre class=\"api-signature\"><code>"), "{page}");
    assert!(page.contains("<h2 class=\"api-heading\" id=\"geometry.shapes.Circle\">"), "{page}");
}
