//! Registers `schema.graphql` with cynic: every operation in `src/gql` is checked against it
//! when the crate compiles, so a change of the API that breaks the UI fails the build.

fn main() {
    println!("cargo:rerun-if-changed=../schema.graphql");
    if let Err(e) = cynic_codegen::register_schema("crm")
        .from_sdl_file("../schema.graphql")
        .and_then(|s| s.as_default())
    {
        println!("cargo:warning=cannot register ../schema.graphql: {e}");
        std::process::exit(1);
    }
}
