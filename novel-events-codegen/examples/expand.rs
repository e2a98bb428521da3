//! Prints the Rust code generated for a catalog file, formatted:
//! `cargo run -p novel-events-codegen --example expand -- novel-events/catalog/novel-engine.yaml`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: expand <catalog.yaml>");
        std::process::exit(2);
    };
    match novel_events_codegen::load_catalog(std::path::Path::new(&path), &path) {
        Ok(catalog) => {
            let tokens =
                novel_events_codegen::generate(&catalog, &novel_events_codegen::Options::default());
            match syn::parse2::<syn::File>(tokens) {
                Ok(file) => print!("{}", prettyplease::unparse(&file)),
                Err(error) => {
                    eprintln!("generated code does not parse: {error}");
                    std::process::exit(1);
                }
            }
        }
        Err(diagnostics) => {
            for diagnostic in diagnostics {
                eprintln!("error: {diagnostic}");
            }
            std::process::exit(1);
        }
    }
}
