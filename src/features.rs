//! The features labbook is built with, one line each, in the order they load (a feature
//! may use the data of one before it: the models and the notebooks' runnable blocks ask the
//! exercises for the python runtime, and the notebooks come first so that they see only the
//! book's own pages, the lessons they write as notebooks).
//! Adding a feature is one crate and one line here (ARCHITECTURE.md).

use std::sync::Arc;

use labbook_core::feature::Features;

/// Every built-in feature.
pub fn builtin() -> Features {
    Features::new(vec![
        Arc::new(labbook_notebooks::NotebooksFeature),
        Arc::new(labbook_apidoc::ApiFeature),
        Arc::new(labbook_models::ModelsFeature),
        Arc::new(labbook_datasets::DatasetsFeature),
        Arc::new(labbook_exercises::ExercisesFeature),
        Arc::new(labbook_docbuilder::DocBuilderFeature),
    ])
}
