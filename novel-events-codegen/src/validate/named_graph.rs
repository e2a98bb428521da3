//! The graph of named types (which named types each one refers to), checked in time linear
//! in the catalog: no named type may contain itself, and no type may nest deeper than
//! [`MAX_TYPE_DEPTH`] levels, counting arrays, nested objects and the named types it goes
//! through.
//!
//! The generated code nests a Rust type as deep as its catalog type, and the compiler's trait
//! solver gives up (E0275) on deep enough nesting; the limit keeps far from that and bounds the
//! recursion of code generation.

use std::collections::HashMap;

use crate::diagnostic::Diagnostics;
use crate::model::{Catalog, Field, NamedType, TypeExpr};

/// The deepest type a field may have: `[[uuid]]` is 3 levels, a field of a named object type
/// with a `[string]` field is 3 levels, and so on through named types.
pub const MAX_TYPE_DEPTH: usize = 32;

/// How many named types on a cycle are reported: each report walks the graph once.
const MAX_CYCLE_REPORTS: usize = 32;

/// Checks the named types for cycles, and every type for its depth.
pub(super) fn check(catalog: &Catalog, diagnostics: &mut Diagnostics) {
    let graph = Graph::new(catalog);
    let on_cycle = graph.on_cycle();
    report_cycles(&graph, &on_cycle, diagnostics);
    let depths = graph.depths(&on_cycle);
    report_depths(catalog, &graph, &depths, diagnostics);
}

/// Named types by index, with the indexes each refers to, in the order of its fields.
struct Graph<'a> {
    types: Vec<&'a NamedType>,
    index: HashMap<&'a str, usize>,
    edges: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        let types: Vec<&NamedType> = catalog.types.iter().collect();
        let mut index = HashMap::new();
        for (position, named) in types.iter().enumerate() {
            index.entry(named.name.as_str()).or_insert(position);
        }
        let edges = types
            .iter()
            .map(|named| {
                let mut names = Vec::new();
                references(&named.ty, &mut names);
                names
                    .into_iter()
                    .filter_map(|name| index.get(name).copied())
                    .collect()
            })
            .collect();
        Self {
            types,
            index,
            edges,
        }
    }

    /// Which named types lie on a cycle: Tarjan's strongly connected components, without
    /// recursion.
    fn on_cycle(&self) -> Vec<bool> {
        let count = self.types.len();
        let mut order = vec![usize::MAX; count];
        let mut low = vec![0; count];
        let mut on_stack = vec![false; count];
        let mut stack = Vec::new();
        let mut next = 0;
        let mut cyclic = vec![false; count];
        for root in 0..count {
            if order[root] != usize::MAX {
                continue;
            }
            let mut calls = vec![(root, 0usize)];
            order[root] = next;
            low[root] = next;
            next += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some(&mut (node, ref mut edge)) = calls.last_mut() {
                if let Some(&target) = self.edges[node].get(*edge) {
                    *edge += 1;
                    if target == node {
                        cyclic[node] = true;
                    }
                    if order[target] == usize::MAX {
                        order[target] = next;
                        low[target] = next;
                        next += 1;
                        stack.push(target);
                        on_stack[target] = true;
                        calls.push((target, 0));
                    } else if on_stack[target] {
                        low[node] = low[node].min(order[target]);
                    }
                    continue;
                }
                calls.pop();
                if let Some(&(parent, _)) = calls.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == order[node] {
                    let mut component = Vec::new();
                    while let Some(member) = stack.pop() {
                        on_stack[member] = false;
                        component.push(member);
                        if member == node {
                            break;
                        }
                    }
                    if component.len() > 1 {
                        for member in component {
                            cyclic[member] = true;
                        }
                    }
                }
            }
        }
        cyclic
    }

    /// The depth of each named type not on a cycle (those count as 1), each worked out once,
    /// without recursion through named types.
    fn depths(&self, on_cycle: &[bool]) -> Vec<usize> {
        let count = self.types.len();
        let mut depth: Vec<Option<usize>> = vec![None; count];
        for root in 0..count {
            let mut pending = vec![root];
            while let Some(&node) = pending.last() {
                if depth[node].is_some() {
                    pending.pop();
                    continue;
                }
                if on_cycle[node] {
                    depth[node] = Some(1);
                    pending.pop();
                    continue;
                }
                let missing: Vec<usize> = self.edges[node]
                    .iter()
                    .copied()
                    .filter(|target| depth[*target].is_none())
                    .collect();
                if missing.is_empty() {
                    let value = type_depth(&self.types[node].ty, &|name| {
                        self.index
                            .get(name)
                            .and_then(|target| depth[*target])
                            .unwrap_or(1)
                    });
                    depth[node] = Some(value);
                    pending.pop();
                } else {
                    pending.extend(missing);
                }
            }
        }
        depth.into_iter().map(|depth| depth.unwrap_or(1)).collect()
    }
}

/// The named types a type refers to, in the order of its fields.
fn references<'a>(ty: &'a TypeExpr, out: &mut Vec<&'a str>) {
    match ty {
        TypeExpr::Named(name) => out.push(name),
        TypeExpr::Array(item) => references(item, out),
        TypeExpr::Struct(def) => def
            .fields
            .iter()
            .for_each(|field| references(&field.ty, out)),
        _ => {}
    }
}

/// How many levels a type nests, a named type counting its own depth (`named`). The recursion
/// follows the catalog's YAML nesting only, which the YAML reader bounds.
fn type_depth(ty: &TypeExpr, named: &dyn Fn(&str) -> usize) -> usize {
    match ty {
        TypeExpr::Array(item) => 1 + type_depth(item, named),
        TypeExpr::Struct(def) => {
            1 + def
                .fields
                .iter()
                .map(|field| type_depth(&field.ty, named))
                .max()
                .unwrap_or(0)
        }
        TypeExpr::Named(name) => named(name),
        _ => 1,
    }
}

/// Each named type on a cycle, with the path by which it reaches itself: a depth-first walk
/// from it, remembering each type's predecessor.
fn report_cycles(graph: &Graph<'_>, on_cycle: &[bool], diagnostics: &mut Diagnostics) {
    for start in (0..graph.types.len())
        .filter(|node| on_cycle[*node])
        .take(MAX_CYCLE_REPORTS)
    {
        let mut parent: HashMap<usize, usize> = HashMap::new();
        let mut seen = vec![false; graph.types.len()];
        let mut stack = vec![start];
        while let Some(current) = stack.pop() {
            if graph.edges[current].contains(&start) {
                let mut path = vec![graph.types[current].name.as_str()];
                let mut node = current;
                while let Some(&previous) = parent.get(&node) {
                    path.push(graph.types[previous].name.as_str());
                    node = previous;
                }
                path.reverse();
                let named = graph.types[start];
                diagnostics.push(
                    &named.location,
                    format!(
                        "named type `{}` contains itself ({} -> {}): payloads are finite, so a type cannot nest itself, even through an array",
                        named.name,
                        path.join(" -> "),
                        named.name
                    ),
                );
                break;
            }
            for &target in &graph.edges[current] {
                if !seen[target] {
                    seen[target] = true;
                    parent.insert(target, current);
                    stack.push(target);
                }
            }
        }
    }
}

/// Named types and payload fields nested past [`MAX_TYPE_DEPTH`], each reported where the
/// excess starts: a type is not reported when a named type it uses already is.
fn report_depths(
    catalog: &Catalog,
    graph: &Graph<'_>,
    depths: &[usize],
    diagnostics: &mut Diagnostics,
) {
    let named_depth = |name: &str| graph.index.get(name).map_or(1, |index| depths[*index]);
    let uses_too_deep = |ty: &TypeExpr| {
        let mut names = Vec::new();
        references(ty, &mut names);
        names
            .into_iter()
            .any(|name| named_depth(name) > MAX_TYPE_DEPTH)
    };
    for (index, named) in graph.types.iter().enumerate() {
        if depths[index] > MAX_TYPE_DEPTH && !uses_too_deep(&named.ty) {
            diagnostics.push(
                &named.location,
                format!(
                    "named type `{}` nests {} levels of types (arrays, objects and the named types they use); at most {MAX_TYPE_DEPTH} are allowed",
                    named.name, depths[index]
                ),
            );
        }
    }
    let check_fields = |fields: &[Field], diagnostics: &mut Diagnostics| {
        for field in fields {
            let depth = type_depth(&field.ty, &named_depth);
            if depth > MAX_TYPE_DEPTH && !uses_too_deep(&field.ty) {
                diagnostics.push(
                    &field.location,
                    format!(
                        "field `{}` nests {depth} levels of types (arrays, objects and the named types they use); at most {MAX_TYPE_DEPTH} are allowed",
                        crate::diagnostic::shorten(&field.name)
                    ),
                );
            }
        }
    };
    for event in catalog.events() {
        check_fields(&event.payload, diagnostics);
    }
}
